/**
 * Device certificates for the broker's tests: a root CA made with
 * `@peculiar/x509` over Node's WebCrypto, a server certificate for
 * 127.0.0.1, device certificates with a status and attached things, and a
 * {@link DeviceCertificates} that checks a client certificate against them
 * as the IoT control plane's registry does.
 */
// @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateCheck, DeviceCertificates } from '../../local/mqtt/device-certificates.js';

x509.cryptoProvider.set(webcrypto);

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
type KeyPair = webcrypto.CryptoKeyPair;

/** A certificate and its private key, both PEM. */
export interface Issued {
  certPem: string;
  keyPem: string;
  der: Buffer;
}

const keys = () => webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as Promise<KeyPair>;

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

let serial = 1;
const inTenYears = () => new Date(Date.now() + 10 * 365 * 86_400_000);
const yesterday = () => new Date(Date.now() - 86_400_000);

/** A root CA that issues server and client certificates. */
export class TestCa {
  private constructor(
    private readonly keyPair: KeyPair,
    private readonly cert: x509.X509Certificate,
  ) {}

  static async create(name: string): Promise<TestCa> {
    const keyPair = await keys();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: String(serial++).padStart(2, '0'),
      name: `CN=${name}`,
      notBefore: yesterday(),
      notAfter: inTenYears(),
      keys: keyPair,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    return new TestCa(keyPair, cert);
  }

  get pem(): string {
    return this.cert.toString('pem');
  }

  /** A certificate for `subject`: a server one (for 127.0.0.1 and localhost) or a client one. */
  async issue(subject: string, usage: 'server' | 'client'): Promise<Issued> {
    const keyPair = await keys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: String(serial++).padStart(2, '0'),
      subject: `CN=${subject}`,
      issuer: this.cert.subject,
      notBefore: yesterday(),
      notAfter: inTenYears(),
      publicKey: keyPair.publicKey,
      signingKey: this.keyPair.privateKey,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([
          usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
        ]),
        ...(usage === 'server'
          ? [
              new x509.SubjectAlternativeNameExtension([
                { type: 'dns', value: 'localhost' },
                { type: 'ip', value: '127.0.0.1' },
              ]),
            ]
          : []),
      ],
    });
    return {
      certPem: cert.toString('pem'),
      keyPem: await keyPem(keyPair.privateKey),
      der: Buffer.from(cert.rawData),
    };
  }
}

interface Registered {
  status: 'ACTIVE' | 'INACTIVE' | 'REVOKED';
  things: string[];
}

/** The broker's view of a registry of device certificates, kept in memory. */
export class TestDeviceCertificates implements DeviceCertificates {
  private readonly registered = new Map<string, Registered>();

  private constructor(
    private readonly ca: TestCa,
    private readonly server: Issued,
  ) {}

  static async create(): Promise<TestDeviceCertificates> {
    const ca = await TestCa.create('fleetwave test CA');
    return new TestDeviceCertificates(ca, await ca.issue('localhost', 'server'));
  }

  get caPem(): string {
    return this.ca.pem;
  }
  get serverKeyPem(): string {
    return this.server.keyPem;
  }
  get serverCertPem(): string {
    return this.server.certPem;
  }

  /** Issues a device certificate with `status`, attached to `things`. */
  async device(status: Registered['status'], things: string[]): Promise<Issued> {
    const issued = await this.ca.issue(`device ${things.join(',')}`, 'client');
    this.registered.set(idOf(issued.der), { status, things });
    return issued;
  }

  /** UpdateCertificate. */
  setStatus(issued: Issued, status: Registered['status']): void {
    const record = this.registered.get(idOf(issued.der));
    if (record) record.status = status;
  }

  check(der: Buffer): CertificateCheck {
    const certificateId = idOf(der);
    const record = this.registered.get(certificateId);
    if (record === undefined) return { ok: false, reason: 'unknown certificate' };
    if (record.status !== 'ACTIVE') return { ok: false, reason: `certificate is ${record.status}` };
    return {
      ok: true,
      certificateId,
      certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${certificateId}`,
      things: [...record.things],
    };
  }
}

const idOf = (der: Buffer) => createHash('sha256').update(der).digest('hex');
