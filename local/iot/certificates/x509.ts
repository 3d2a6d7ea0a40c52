/**
 * `@peculiar/x509`, ready to use: its dependency injection (tsyringe) needs
 * a Reflect metadata polyfill loaded before it, and it signs with whatever
 * WebCrypto it is given: Node's own, so no OpenSSL binary is needed.
 */
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

/** WebCrypto's key types, from Node's typings (the project has no DOM library). */
export type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export { x509 };

/**
 * ECDSA P-256 with SHA-256 for every key the local stack makes. AWS IoT
 * accepts P-256 device and CA certificates as well as RSA 2048 ones (the
 * kind its own CreateKeysAndCertificate hands out); P-256 is chosen because
 * a key pair takes well under a millisecond where an RSA 2048 one takes tens
 * to hundreds of milliseconds of CPU, which a test making many devices, or a
 * first start, would feel.
 */
export const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A fresh extractable key pair of {@link keyAlgorithm}. */
export function generateKeyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

/**
 * A private key as PEM in the SEC 1 form (`EC PRIVATE KEY`), the EC
 * counterpart of the PKCS #1 `RSA PRIVATE KEY` AWS returns: OpenSSL, Node's
 * tls and the AWS device SDK's aws-crt all read it.
 */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ type: 'sec1', format: 'pem' })
    .toString();
}

/** A public key as PEM (`PUBLIC KEY`, SubjectPublicKeyInfo), as AWS's keyPair.PublicKey. */
export async function publicKeyPem(key: CryptoKey): Promise<string> {
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', key));
  return x509.PemConverter.encode(spki, 'PUBLIC KEY');
}
