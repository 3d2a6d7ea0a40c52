/**
 * The certificates the local IoT issued and the principals attached to
 * things. Changes are rare (a person or a provisioning script makes them),
 * so with a directory every change rewrites `<dir>/certificates.json` at
 * once, through a temporary file renamed over the old one: a restart finds
 * the certificates, their status and their things as they were.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../clock/clock.js';
import type { ArnFactory } from '../arn.js';
import {
  type Attachment,
  type CertificateFile,
  type CertificateRecord,
  type CertificateStatus,
  certificateFileSchema,
  type ThingPrincipalType,
} from './certificate-records.js';

/** The file of the store inside its directory. */
const certificateStoreFile = 'certificates.json';

/** A certificate to add: its PEM, id and validity. */
export interface NewCertificate {
  certificateId: string;
  certificatePem: string;
  status: CertificateStatus;
  notBefore: number;
  notAfter: number;
}

export class CertificateStore {
  private readonly certificates = new Map<string, CertificateRecord>();
  /** Attachments in the order they were made, by thing. */
  private readonly byThing = new Map<string, Map<string, Attachment>>();
  private lastSeq = 0;
  private readonly changeListeners = new Set<(certificateId: string) => void>();

  /** With `dir`, reads what an earlier run kept there and keeps every change there. */
  constructor(
    private readonly arns: ArnFactory,
    private readonly clock: Clock,
    private readonly dir?: string,
  ) {
    if (dir === undefined) return;
    const file = join(dir, certificateStoreFile);
    if (!existsSync(file)) return;
    const parsed = certificateFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(`${file} is not a fleetwave certificate store: ${parsed.error.message}`);
    for (const record of parsed.data.certificates) {
      this.certificates.set(record.certificateId, record);
      this.lastSeq = Math.max(this.lastSeq, record.seq);
    }
    for (const attachment of parsed.data.attachments)
      this.attachmentsOf(attachment.thingName).set(attachment.principal, attachment);
  }

  add(input: NewCertificate): CertificateRecord {
    const now = this.clock.now();
    const record: CertificateRecord = {
      ...input,
      certificateArn: this.arns.certificate(input.certificateId),
      creationDate: now,
      lastModifiedDate: now,
      customerVersion: 1,
      generationId: randomUUID(),
      seq: ++this.lastSeq,
    };
    this.certificates.set(record.certificateId, record);
    this.save();
    return record;
  }

  get(certificateId: string): CertificateRecord | undefined {
    return this.certificates.get(certificateId);
  }

  /** The certificate an ARN names, when it is one of ours. */
  byArn(arn: string): CertificateRecord | undefined {
    const id = this.arns.idOf(arn, 'cert');
    return id === undefined ? undefined : this.certificates.get(id);
  }

  /** Sets a status; the same status again changes nothing (UpdateCertificate is idempotent). */
  setStatus(certificateId: string, status: CertificateStatus): void {
    const record = this.certificates.get(certificateId);
    if (!record || record.status === status) return;
    record.status = status;
    record.lastModifiedDate = this.clock.now();
    record.customerVersion++;
    record.generationId = randomUUID();
    this.save();
    this.changed(certificateId);
  }

  /** Every certificate, oldest first. */
  list(): CertificateRecord[] {
    return [...this.certificates.values()].sort((a, b) => a.seq - b.seq);
  }

  attach(thingName: string, principal: string, thingPrincipalType: ThingPrincipalType): void {
    this.attachmentsOf(thingName).set(principal, { thingName, principal, thingPrincipalType });
    this.save();
    this.principalChanged(principal);
  }

  /** Removes an attachment; true when there was one. */
  detach(thingName: string, principal: string): boolean {
    const attachments = this.byThing.get(thingName);
    if (!attachments?.delete(principal)) return false;
    if (attachments.size === 0) this.byThing.delete(thingName);
    this.save();
    this.principalChanged(principal);
    return true;
  }

  /**
   * Calls `listener` with a certificate's id after its status or its things
   * changed (UpdateCertificate, AttachThingPrincipal, DetachThingPrincipal).
   * Returns the function that stops.
   */
  onChange(listener: (certificateId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(certificateId: string): void {
    for (const listener of this.changeListeners) listener(certificateId);
  }

  private principalChanged(principal: string): void {
    const certificateId = this.byArn(principal)?.certificateId;
    if (certificateId !== undefined) this.changed(certificateId);
  }

  /** The principals attached to a thing, in attachment order. */
  principalsOf(thingName: string): string[] {
    return [...(this.byThing.get(thingName)?.keys() ?? [])];
  }

  /** The attachments of a principal, across things. */
  attachmentsOfPrincipal(principal: string): Attachment[] {
    const out: Attachment[] = [];
    for (const attachments of this.byThing.values()) {
      const found = attachments.get(principal);
      if (found) out.push(found);
    }
    return out;
  }

  private attachmentsOf(thingName: string): Map<string, Attachment> {
    let attachments = this.byThing.get(thingName);
    if (!attachments) {
      attachments = new Map();
      this.byThing.set(thingName, attachments);
    }
    return attachments;
  }

  private save(): void {
    if (this.dir === undefined) return;
    const content: CertificateFile = {
      version: 1,
      certificates: this.list(),
      attachments: [...this.byThing.values()].flatMap((m) => [...m.values()]),
    };
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, certificateStoreFile);
    writeFileSync(`${file}.tmp`, JSON.stringify(content));
    renameSync(`${file}.tmp`, file);
  }
}
