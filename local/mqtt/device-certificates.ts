/**
 * What the broker needs of the local IoT's certificates (its TLS identity,
 * the CA its clients are issued by, and who may connect), as the IoT
 * emulator's certificates side provides it.
 */

/** The answer of {@link DeviceCertificates.check}. */
export type CertificateCheck =
  | { ok: true; certificateId: string; certificateArn: string; things: string[] }
  | { ok: false; reason: string };

export interface DeviceCertificates {
  /** The local root CA, PEM (also at `GET /_fleetwave/ca.pem`). */
  readonly caPem: string;
  /** The broker's private key, PEM. */
  readonly serverKeyPem: string;
  /** The broker's certificate, issued by the CA for `localhost` and `127.0.0.1`. */
  readonly serverCertPem: string;
  /**
   * Whether a TLS client certificate (DER, as tls `getPeerCertificate().raw`) may connect:
   * issued by the local CA and ACTIVE. Also the things it is attached to (AttachThingPrincipal).
   */
  check(der: Buffer): CertificateCheck;
}
