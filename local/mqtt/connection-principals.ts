/**
 * Who is at the other end of each broker connection. A connection on the
 * TLS port carries the DER of its client certificate; a connection on the
 * plain port carries nothing and is not restricted. The certificate is
 * checked again at every CONNECT, publish and subscribe, as AWS evaluates
 * its policy at each action: a certificate made INACTIVE, or a thing
 * detached, takes effect at the client's next step.
 */
import type { TLSSocket } from 'node:tls';
import type { CertificateCheck, DeviceCertificates } from '../iot/index.js';

export class ConnectionPrincipals {
  private readonly certificateOf = new WeakMap<object, Buffer>();

  constructor(private readonly certificates: DeviceCertificates | undefined) {}

  /**
   * Records the certificate a TLS client presented (the handshake already
   * proved it holds its key) for the stream the broker reads it through.
   */
  addTls(socket: TLSSocket, connection: object): void {
    const der = socket.getPeerCertificate().raw;
    if (der !== undefined) this.certificateOf.set(connection, der);
  }

  /** Undefined for a plain connection; the certificate's check for a TLS one. */
  check(connection: object): CertificateCheck | undefined {
    const der = this.certificateOf.get(connection);
    if (der === undefined) return undefined;
    if (this.certificates === undefined) return { ok: false, reason: 'no certificates' };
    return this.certificates.check(der);
  }
}
