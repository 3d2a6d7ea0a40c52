/**
 * The AWS CLI v2 (Debian's `awscli`, `/usr/bin/aws`) makes a device
 * certificate on the local IoT and attaches it to a thing, as a provisioning
 * script would. A missing CLI fails the test with the command that installs
 * it, instead of passing by skipping.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsJson as aws, expectAwsCli } from '../../support/aws-cli.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';

describe('the AWS CLI makes and attaches a device certificate', () => {
  let ep: IotEndpoint;
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-cli-certs-'));
  beforeAll(async () => {
    expectAwsCli();
    ep = await startIotEndpoint();
    ep.emulator.registry.things.createThing({ thingName: 'bench-device' });
  });
  afterAll(async () => {
    await ep?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('create-keys-and-certificate writes the certificate and keys, attach-thing-principal and list-thing-principals see it', async () => {
    const certFile = join(dir, 'device.pem.crt');
    const keyFile = join(dir, 'private.pem.key');
    const created = (await aws(ep.url, [
      'iot',
      'create-keys-and-certificate',
      '--set-as-active',
      '--certificate-pem-outfile',
      certFile,
      '--private-key-outfile',
      keyFile,
    ])) as { certificateArn: string; certificateId: string };
    const cert = new X509Certificate(readFileSync(certFile));
    expect(cert.checkIssued(new X509Certificate(ep.emulator.certificates.caPem))).toBe(true);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(ep.emulator.certificates.check(cert.raw)).toMatchObject({
      ok: true,
      certificateId: created.certificateId,
    });

    await aws(ep.url, [
      'iot',
      'attach-thing-principal',
      '--thing-name',
      'bench-device',
      '--principal',
      created.certificateArn,
    ]);
    const listed = (await aws(ep.url, ['iot', 'list-thing-principals', '--thing-name', 'bench-device'])) as {
      principals: string[];
    };
    expect(listed.principals).toEqual([created.certificateArn]);

    await aws(ep.url, [
      'iot',
      'update-certificate',
      '--certificate-id',
      created.certificateId,
      '--new-status',
      'INACTIVE',
    ]);
    const described = (await aws(ep.url, [
      'iot',
      'describe-certificate',
      '--certificate-id',
      created.certificateId,
    ])) as { certificateDescription: { status: string } };
    expect(described.certificateDescription.status).toBe('INACTIVE');
    expect(ep.emulator.certificates.check(cert.raw)).toMatchObject({ ok: false });
  });
});
