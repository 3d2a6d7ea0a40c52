/**
 * The decision the MQTT broker asks for at each TLS handshake: a client
 * certificate may connect when the local CA issued it, the local IoT knows
 * it, and it is ACTIVE; the answer names the things it is attached to.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { ArnFactory } from '../../../local/iot/arn.js';
import { CertificateAuthority } from '../../../local/iot/certificates/certificate-authority.js';
import { CertificateStore } from '../../../local/iot/certificates/certificate-store.js';
import { certificateIdOf, LocalCertificates } from '../../../local/iot/certificates/device-certificates.js';

const der = (pem: string) => new X509Certificate(pem).raw;

describe('LocalCertificates.check', () => {
  let certificates: LocalCertificates;
  beforeAll(async () => {
    const clock = new VirtualClock({ mode: { kind: 'manual' } });
    certificates = new LocalCertificates(
      new CertificateStore(new ArnFactory('us-east-1', '000000000000'), clock),
    );
    await certificates.ready();
  });

  it('refuses every certificate while the CA is not loaded', async () => {
    const clock = new VirtualClock({ mode: { kind: 'manual' } });
    const fresh = new LocalCertificates(
      new CertificateStore(new ArnFactory('us-east-1', '000000000000'), clock),
    );
    const { record } = await certificates.create('ACTIVE');
    expect(fresh.check(der(record.certificatePem))).toEqual({
      ok: false,
      reason: 'The local CA is not loaded yet.',
    });
    expect(() => fresh.caPem).toThrow(/ready/);
  });

  it('accepts an ACTIVE certificate with the things it is attached to', async () => {
    const { record } = await certificates.create('ACTIVE');
    certificates.store.attach('thing-a', record.certificateArn, 'NON_EXCLUSIVE_THING');
    certificates.store.attach('thing-b', record.certificateArn, 'NON_EXCLUSIVE_THING');
    const answer = certificates.check(der(record.certificatePem));
    expect(answer).toEqual({
      ok: true,
      certificateId: record.certificateId,
      certificateArn: record.certificateArn,
      things: ['thing-a', 'thing-b'],
    });
    expect(record.certificateId).toBe(certificateIdOf(der(record.certificatePem)));
  });

  it('accepts an ACTIVE certificate attached to no thing, with no things', async () => {
    const { record } = await certificates.create('ACTIVE');
    expect(certificates.check(der(record.certificatePem))).toMatchObject({ ok: true, things: [] });
  });

  it('refuses an INACTIVE certificate and a REVOKED one', async () => {
    const { record: inactive } = await certificates.create('INACTIVE');
    expect(certificates.check(der(inactive.certificatePem))).toEqual({
      ok: false,
      reason: `Certificate ${inactive.certificateId} is INACTIVE, not ACTIVE.`,
    });
    const { record: revoked } = await certificates.create('ACTIVE');
    certificates.store.setStatus(revoked.certificateId, 'REVOKED');
    expect(certificates.check(der(revoked.certificatePem))).toMatchObject({ ok: false, reason: /REVOKED/ });
  });

  it('refuses a certificate another CA issued, even one with the same subject', async () => {
    const other = await CertificateAuthority.open();
    const issued = await other.issueDeviceCertificate();
    expect(certificates.check(issued.der)).toEqual({
      ok: false,
      reason: 'The client certificate is not issued by the local CA.',
    });
  });

  it('refuses a certificate of the local CA that the IoT never recorded (the broker server certificate)', () => {
    expect(certificates.check(der(certificates.serverCertPem))).toEqual({
      ok: false,
      reason: 'The client certificate is not one the local IoT created.',
    });
  });

  it('refuses bytes that are no certificate', () => {
    expect(certificates.check(Buffer.from('not a certificate'))).toMatchObject({ ok: false });
  });

  it('issues the broker a server certificate for localhost and 127.0.0.1, from the CA', () => {
    const server = new X509Certificate(certificates.serverCertPem);
    const ca = new X509Certificate(certificates.caPem);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});
