/**
 * Who is at the other end of each broker connection. A connection on the
 * TLS port carries the DER of its client certificate; a connection on the
 * plain port carries nothing and is not restricted. The certificate is
 * checked at CONNECT and at every publish and subscribe, as AWS evaluates
 * its policy at each action; and as AWS disconnects a device whose
 * certificate leaves ACTIVE, a certificate made INACTIVE or REVOKED, or a
 * thing detached from it, closes the connections made with it at once, so
 * nothing more (a job document) reaches them.
 */
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { certificateIdOf } from '../iot/certificates/device-certificates.js';
import type { CertificateCheck, DeviceCertificates } from '../iot/index.js';

/** A TLS connection: its certificate, and the things it was last allowed. */
interface TlsConnection {
  der: Buffer;
  things: readonly string[];
}

export class ConnectionPrincipals {
  private readonly tlsOf = new WeakMap<object, TlsConnection>();
  /** Open TLS connections by certificate id. */
  private readonly byCertificate = new Map<string, Set<Duplex>>();

  constructor(private readonly certificates: DeviceCertificates | undefined) {}

  /**
   * Records the certificate a TLS client presented (the handshake already
   * proved it holds its key) for the stream the broker reads it through,
   * until that stream closes.
   */
  addTls(socket: TLSSocket, connection: Duplex): void {
    const der = socket.getPeerCertificate().raw;
    if (der === undefined) return;
    const check = this.check(connection, der);
    this.tlsOf.set(connection, { der, things: check?.ok ? check.things : [] });
    const certificateId = certificateIdOf(der);
    const open = this.byCertificate.get(certificateId) ?? new Set<Duplex>();
    this.byCertificate.set(certificateId, open.add(connection));
    connection.once('close', () => {
      open.delete(connection);
      if (open.size === 0) this.byCertificate.delete(certificateId);
    });
  }

  /** Undefined for a plain connection; the certificate's check for a TLS one. */
  check(connection: object, der = this.tlsOf.get(connection)?.der): CertificateCheck | undefined {
    if (der === undefined) return undefined;
    if (this.certificates === undefined) return { ok: false, reason: 'no certificates' };
    return this.certificates.check(der);
  }

  /**
   * Follows the certificates' changes: a connection whose certificate is no
   * longer ACTIVE, or lost a thing it had, is closed. Returns the function that stops.
   */
  follow(): () => void {
    if (this.certificates === undefined) return () => {};
    return this.certificates.onChange((certificateId) => {
      for (const connection of this.byCertificate.get(certificateId) ?? []) this.recheck(connection);
    });
  }

  private recheck(connection: Duplex): void {
    const tls = this.tlsOf.get(connection);
    if (tls === undefined) return;
    const check = this.check(connection, tls.der);
    if (check?.ok && tls.things.every((thing) => check.things.includes(thing))) tls.things = check.things;
    else connection.destroy();
  }
}
