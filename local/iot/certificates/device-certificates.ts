/**
 * The certificates side of the local IoT as the rest of the stack uses it:
 * the CA (loaded or made on first use, since key generation is
 * asynchronous), issuing device certificates, and the decision the MQTT
 * broker asks for at each TLS handshake: may this client certificate connect.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CertificateAuthority, type IssuedCertificate } from './certificate-authority.js';
import type { CertificateRecord, CertificateStatus } from './certificate-records.js';
import type { CertificateStore } from './certificate-store.js';

/** The answer of {@link DeviceCertificates.check}. */
export type CertificateCheck =
  | { ok: true; certificateId: string; certificateArn: string; things: string[] }
  | { ok: false; reason: string };

/** What the MQTT broker needs: its TLS identity, the CA its clients are issued by, and who may connect. */
export interface DeviceCertificates {
  /** The local root CA, PEM (also at `GET /_fleetwave/ca.pem`). Throws before {@link ready} resolves. */
  readonly caPem: string;
  /** The broker's private key, PEM. Throws before {@link ready} resolves. */
  readonly serverKeyPem: string;
  /** The broker's certificate, issued by the CA for `localhost` and `127.0.0.1`. Throws before {@link ready} resolves. */
  readonly serverCertPem: string;
  /**
   * Whether a TLS client certificate (DER, as tls `getPeerCertificate().raw`) may connect:
   * issued by the local CA and ACTIVE. Also the things it is attached to (AttachThingPrincipal).
   */
  check(der: Buffer): CertificateCheck;
  /**
   * Calls `listener` with a certificate's id (see {@link certificateIdOf}) after its status
   * changed (UpdateCertificate) or its things did (AttachThingPrincipal, DetachThingPrincipal),
   * so that connections made with it can be checked again; returns the function that stops.
   */
  onChange(listener: (certificateId: string) => void): () => void;
  /** Resolves once the CA is loaded from its directory or made. */
  ready(): Promise<void>;
}

/** The certificate id AWS gives a certificate: the SHA-256 of its DER, in hex. */
export function certificateIdOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

export class LocalCertificates implements DeviceCertificates {
  private opened?: CertificateAuthority;
  private opening?: Promise<CertificateAuthority>;

  /** `caDir` keeps the CA across restarts; in memory without it. */
  constructor(
    readonly store: CertificateStore,
    private readonly caDir?: string,
  ) {}

  /** The CA, opened once. */
  authority(): Promise<CertificateAuthority> {
    this.opening ??= CertificateAuthority.open(this.caDir).then((ca) => {
      this.opened = ca;
      return ca;
    });
    return this.opening;
  }

  async ready(): Promise<void> {
    await this.authority();
  }

  get caPem(): string {
    return this.loaded().caPem;
  }
  get serverKeyPem(): string {
    return this.loaded().serverKeyPem;
  }
  get serverCertPem(): string {
    return this.loaded().serverCertPem;
  }

  /** Issues a certificate and its keys and records the certificate (CreateKeysAndCertificate). */
  async create(status: CertificateStatus): Promise<{ record: CertificateRecord; issued: IssuedCertificate }> {
    const issued = await (await this.authority()).issueDeviceCertificate();
    const record = this.store.add({
      certificateId: certificateIdOf(issued.der),
      certificatePem: issued.certificatePem,
      status,
      notBefore: issued.notBefore.getTime(),
      notAfter: issued.notAfter.getTime(),
    });
    return { record, issued };
  }

  onChange(listener: (certificateId: string) => void): () => void {
    return this.store.onChange(listener);
  }

  check(der: Buffer): CertificateCheck {
    const ca = this.opened;
    if (!ca) return { ok: false, reason: 'The local CA is not loaded yet.' };
    // The id is the SHA-256 of the DER: a known id means the very bytes this CA signed, so
    // the signature needs checking only to word the refusal of an unknown certificate.
    const record = this.store.get(certificateIdOf(der));
    if (!record) return { ok: false, reason: unknownCertificateReason(der, ca) };
    if (record.status !== 'ACTIVE') {
      return { ok: false, reason: `Certificate ${record.certificateId} is ${record.status}, not ACTIVE.` };
    }
    return {
      ok: true,
      certificateId: record.certificateId,
      certificateArn: record.certificateArn,
      things: this.store.attachmentsOfPrincipal(record.certificateArn).map((a) => a.thingName),
    };
  }

  private loaded(): CertificateAuthority {
    if (!this.opened) throw new Error('The local CA is not loaded yet: await certificates.ready() first.');
    return this.opened;
  }
}

/** Why a certificate the store does not know is refused. */
function unknownCertificateReason(der: Buffer, ca: CertificateAuthority): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return 'The client certificate cannot be read.';
  }
  if (!cert.checkIssued(ca.caX509) || !cert.verify(ca.caX509.publicKey)) {
    return 'The client certificate is not issued by the local CA.';
  }
  return 'The client certificate is not one the local IoT created.';
}
