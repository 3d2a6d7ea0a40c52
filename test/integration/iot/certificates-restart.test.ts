/**
 * `--data-dir` keeps the local CA and what the IoT issued: a second emulator
 * on the same directory trusts the same CA, knows every certificate with its
 * status and date, and every thing-principal attachment; no private key of a
 * device is ever written, and the CA's key is readable by its owner only.
 */

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { afterAll, describe, expect, it } from 'vitest';
import { startIotEndpoint } from '../../support/iot-endpoint.js';

describe('IoT certificates across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-certs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the CA, the certificates with their status and dates, and the attachments', async () => {
    const first = await startIotEndpoint({ certificatesDir: dir });
    first.emulator.registry.things.createThing({ thingName: 'device-1' });
    const kept = await first.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const revoked = await first.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await first.iot.send(
      new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: 'REVOKED' }),
    );
    await first.iot.send(
      new AttachThingPrincipalCommand({ thingName: 'device-1', principal: kept.certificateArn }),
    );
    const before = await first.iot.send(
      new DescribeCertificateCommand({ certificateId: kept.certificateId }),
    );
    const caBefore = first.emulator.certificates.caPem;
    await first.close();

    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file), 'utf8')).not.toContain(kept.keyPair!.PrivateKey!.split('\n')[1]);
    }

    const second = await startIotEndpoint({ certificatesDir: dir, start: Date.UTC(2026, 5, 1) });
    try {
      // The thing comes back with the registry (iot-snapshot); the attachment with the certificates.
      second.emulator.registry.things.createThing({ thingName: 'device-1' });
      await second.emulator.certificates.ready();
      expect(second.emulator.certificates.caPem).toBe(caBefore);
      const after = await second.iot.send(
        new DescribeCertificateCommand({ certificateId: kept.certificateId }),
      );
      expect(after.certificateDescription).toEqual(before.certificateDescription);
      const list = await second.iot.send(new ListCertificatesCommand({ ascendingOrder: true }));
      expect(list.certificates?.map((c) => [c.certificateId, c.status])).toEqual([
        [kept.certificateId, 'ACTIVE'],
        [revoked.certificateId, 'REVOKED'],
      ]);
      const principals = await second.iot.send(new ListThingPrincipalsCommand({ thingName: 'device-1' }));
      expect(principals.principals).toEqual([kept.certificateArn]);
      const der = new X509Certificate(kept.certificatePem!).raw;
      expect(second.emulator.certificates.check(der)).toMatchObject({ ok: true, things: ['device-1'] });
      const revokedDer = new X509Certificate(revoked.certificatePem!).raw;
      expect(second.emulator.certificates.check(revokedDer)).toMatchObject({ ok: false });
      // A certificate made after the restart is signed by the same CA and listed after the old ones.
      const later = await second.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
      expect(new X509Certificate(later.certificatePem!).checkIssued(new X509Certificate(caBefore))).toBe(
        true,
      );
      const newest = await second.iot.send(new ListCertificatesCommand({ pageSize: 1 }));
      expect(newest.certificates?.[0]?.certificateId).toBe(later.certificateId);
    } finally {
      await second.close();
    }
  });
});
