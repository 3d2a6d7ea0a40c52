/**
 * The local stack's root CA: made on the first start, kept in a directory
 * (`<data-dir>/certificates/ca.pem` and `ca.key`, the key readable by its
 * owner only) so a restart keeps the CA devices already trust, or kept in
 * memory when there is no directory. It issues the device certificates of
 * CreateKeysAndCertificate and, at each start, the MQTT broker's server
 * certificate for `localhost` and `127.0.0.1`.
 */
import { X509Certificate as NodeX509Certificate, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CryptoKey, generateKeyPair, keyAlgorithm, privateKeyPem, publicKeyPem, x509 } from './x509.js';

/** The end of validity AWS IoT gives the certificates it issues. */
const notAfter = new Date('2049-12-31T23:59:59Z');
/** Certificates start an hour in the past, so a peer whose clock is a little behind accepts them. */
const backdateMs = 60 * 60 * 1000;
const caName = 'CN=fleetwave local root CA, O=fleetwave';

/** A device certificate just issued, with the key pair it was made for (never kept). */
export interface IssuedCertificate {
  certificatePem: string;
  /** DER of the certificate: its SHA-256 is the certificate id. */
  der: Buffer;
  publicKeyPem: string;
  privateKeyPem: string;
  notBefore: Date;
  notAfter: Date;
}

export class CertificateAuthority {
  private constructor(
    /** The root CA certificate, PEM. */
    readonly caPem: string,
    private readonly caCert: x509.X509Certificate,
    private readonly caKey: CryptoKey,
    /** The MQTT broker's private key, PEM (made at each start, never written). */
    readonly serverKeyPem: string,
    /** The MQTT broker's certificate for `localhost` and `127.0.0.1`, PEM. */
    readonly serverCertPem: string,
    /** Node's view of the CA certificate, to verify client certificates synchronously. */
    readonly caX509: NodeX509Certificate,
  ) {}

  /** Loads the CA kept in `dir`, or makes one (written to `dir` when given); then issues the server certificate. */
  static async open(dir?: string): Promise<CertificateAuthority> {
    const { cert, key } =
      dir !== undefined && existsSync(join(dir, 'ca.pem')) ? await readCa(dir) : await makeCa(dir);
    const server = await issueServerCertificate(cert, key);
    const caPem = cert.toString('pem');
    return new CertificateAuthority(
      caPem,
      cert,
      key,
      server.keyPem,
      server.certPem,
      new NodeX509Certificate(caPem),
    );
  }

  /** Issues a device certificate for a fresh key pair, as CreateKeysAndCertificate does. */
  async issueDeviceCertificate(): Promise<IssuedCertificate> {
    const keys = await generateKeyPair();
    const notBefore = new Date(Date.now() - backdateMs);
    const cert = await x509.X509CertificateGenerator.create({
      // AWS's device certificates carry this subject; the id tells them apart, not the name.
      subject: 'CN=AWS IoT Certificate',
      issuer: this.caCert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: keyAlgorithm,
      publicKey: keys.publicKey,
      signingKey: this.caKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.caCert),
      ],
    });
    return {
      certificatePem: cert.toString('pem'),
      der: Buffer.from(cert.rawData),
      publicKeyPem: await publicKeyPem(keys.publicKey),
      privateKeyPem: await privateKeyPem(keys.privateKey),
      notBefore,
      notAfter,
    };
  }
}

async function makeCa(dir: string | undefined): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: caName,
    keys,
    notBefore: new Date(Date.now() - backdateMs),
    notAfter,
    signingAlgorithm: keyAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    // The key first, private from its first byte: the certificate's presence is what marks a complete CA.
    writePrivate(join(dir, 'ca.key'), await pkcs8Pem(keys.privateKey));
    writeFileSync(join(dir, 'ca.pem.tmp'), cert.toString('pem'));
    renameSync(join(dir, 'ca.pem.tmp'), join(dir, 'ca.pem'));
  }
  return { cert, key: keys.privateKey };
}

async function readCa(dir: string): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const cert = new x509.X509Certificate(readFileSync(join(dir, 'ca.pem'), 'utf8'));
  const keyDer = x509.PemConverter.decodeFirst(readFileSync(join(dir, 'ca.key'), 'utf8'));
  const key = await webcrypto.subtle.importKey('pkcs8', keyDer, keyAlgorithm, false, ['sign']);
  return { cert, key };
}

async function issueServerCertificate(
  caCert: x509.X509Certificate,
  caKey: CryptoKey,
): Promise<{ keyPem: string; certPem: string }> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=localhost, O=fleetwave',
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - backdateMs),
    notAfter,
    signingAlgorithm: keyAlgorithm,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { keyPem: await privateKeyPem(keys.privateKey), certPem: cert.toString('pem') };
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Writes a file only its owner may read, replacing any older one whole. */
function writePrivate(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}
