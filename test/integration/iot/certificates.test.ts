/**
 * Device certificates and thing principals through the real IoT SDK: every
 * operation, and each error AWS answers it with.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import {
  AttachThingPrincipalCommand,
  CertificateStateException,
  CreateKeysAndCertificateCommand,
  type CreateKeysAndCertificateCommandOutput,
  DescribeCertificateCommand,
  DescribeEndpointCommand,
  DetachThingPrincipalCommand,
  InvalidRequestException,
  ListCertificatesCommand,
  ListThingPrincipalsCommand,
  paginateListCertificates,
  ResourceNotFoundException,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError } from './iot-fixtures.js';

const certArn = (id: string) => `arn:aws:iot:us-east-1:000000000000:cert/${id}`;
const unknownId = 'ab'.repeat(32);

describe('IoT certificates', () => {
  let ep: IotEndpoint;
  const create = (setAsActive?: boolean): Promise<CreateKeysAndCertificateCommandOutput> =>
    ep.iot.send(new CreateKeysAndCertificateCommand(setAsActive === undefined ? {} : { setAsActive }));

  beforeAll(async () => {
    ep = await startIotEndpoint();
    ep.emulator.registry.things.createThing({ thingName: 'device-1' });
    ep.emulator.registry.things.createThing({ thingName: 'device-2' });
  });
  afterAll(async () => ep.close());

  it('CreateKeysAndCertificate issues a certificate from the local CA for a new key pair, its id the SHA-256 of its DER', async () => {
    const created = await create(true);
    const cert = new X509Certificate(created.certificatePem!);
    expect(created.certificateId).toBe(createHash('sha256').update(cert.raw).digest('hex'));
    expect(created.certificateArn).toBe(certArn(created.certificateId!));
    const ca = new X509Certificate(await (await fetch(`${ep.url}/_fleetwave/ca.pem`)).text());
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(created.keyPair?.PrivateKey).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(created.keyPair?.PublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(cert.checkPrivateKey(createPrivateKey(created.keyPair!.PrivateKey!))).toBe(true);
  });

  it('GET /_fleetwave/ca.pem serves the CA as PEM, the same one iot.certificates holds', async () => {
    const answer = await fetch(`${ep.url}/_fleetwave/ca.pem`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-pem-file');
    const pem = await answer.text();
    expect(pem).toBe(ep.emulator.certificates.caPem);
    expect(new X509Certificate(pem).ca).toBe(true);
  });

  it('DescribeCertificate describes it ACTIVE with setAsActive, INACTIVE without, as AWS does', async () => {
    const active = await create(true);
    const inactive = await create();
    const { certificateDescription: a } = await ep.iot.send(
      new DescribeCertificateCommand({ certificateId: active.certificateId }),
    );
    expect(a).toMatchObject({
      certificateArn: active.certificateArn,
      certificateId: active.certificateId,
      status: 'ACTIVE',
      certificatePem: active.certificatePem,
      ownedBy: '000000000000',
      customerVersion: 1,
      certificateMode: 'DEFAULT',
    });
    expect(a?.creationDate).toEqual(new Date(Date.UTC(2026, 0, 1)));
    expect(a?.validity?.notAfter).toEqual(new Date('2049-12-31T23:59:59Z'));
    const { certificateDescription: i } = await ep.iot.send(
      new DescribeCertificateCommand({ certificateId: inactive.certificateId }),
    );
    expect(i?.status).toBe('INACTIVE');
  });

  it('DescribeCertificate answers ResourceNotFoundException for an unknown id and InvalidRequestException for a malformed one', async () => {
    const missing = await expectIotError(
      ep.iot.send(new DescribeCertificateCommand({ certificateId: unknownId })),
      'ResourceNotFoundException',
      404,
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    const bad = await expectIotError(
      ep.iot.send(new DescribeCertificateCommand({ certificateId: 'not-hex' })),
      'InvalidRequestException',
      400,
    );
    expect(bad.message).toMatch(/certificateId/);
  });

  it('UpdateCertificate moves ACTIVE, INACTIVE and back, counting versions; REVOKED is final (CertificateStateException)', async () => {
    const { certificateId } = await create(true);
    const status = async () =>
      (await ep.iot.send(new DescribeCertificateCommand({ certificateId }))).certificateDescription;
    await ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' }));
    expect((await status())?.status).toBe('INACTIVE');
    await ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' }));
    // The same status again is accepted and changes nothing (the operation is idempotent).
    await ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' }));
    expect(await status()).toMatchObject({ status: 'ACTIVE', customerVersion: 3 });
    await ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'REVOKED' }));
    for (const newStatus of ['ACTIVE', 'INACTIVE'] as const) {
      const error = await expectIotError(
        ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus })),
        'CertificateStateException',
        406,
      );
      expect(error).toBeInstanceOf(CertificateStateException);
    }
    await ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'REVOKED' }));
    expect((await status())?.status).toBe('REVOKED');
  });

  it('UpdateCertificate refuses the statuses AWS keeps for itself, an unknown status and an unknown certificate', async () => {
    const { certificateId } = await create(true);
    for (const newStatus of ['PENDING_TRANSFER', 'PENDING_ACTIVATION', 'REGISTER_INACTIVE'] as const) {
      await expectIotError(
        ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus })),
        'InvalidRequestException',
        400,
      );
    }
    const unknownStatus = await expectIotError(
      ep.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'BROKEN' as 'ACTIVE' })),
      'InvalidRequestException',
      400,
    );
    expect(unknownStatus.message).toMatch(/newStatus/);
    await expectIotError(
      ep.iot.send(new UpdateCertificateCommand({ certificateId: unknownId, newStatus: 'ACTIVE' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('ListCertificates lists newest first by default, oldest first with ascendingOrder, in pages of pageSize with a marker', async () => {
    const local = await startIotEndpoint();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await local.iot.send(
          new CreateKeysAndCertificateCommand({ setAsActive: i % 2 === 0 }),
        );
        ids.push(created.certificateId!);
        await local.clock.advance(1000);
      }
      const first = await local.iot.send(new ListCertificatesCommand({ pageSize: 2 }));
      expect(first.certificates?.map((c) => c.certificateId)).toEqual([ids[4], ids[3]]);
      expect(first.certificates?.[0]).toMatchObject({
        certificateArn: certArn(ids[4]!),
        status: 'ACTIVE',
        certificateMode: 'DEFAULT',
        creationDate: new Date(Date.UTC(2026, 0, 1) + 4000),
      });
      expect(first.nextMarker).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      const second = await local.iot.send(
        new ListCertificatesCommand({ pageSize: 2, marker: first.nextMarker }),
      );
      expect(second.certificates?.map((c) => c.certificateId)).toEqual([ids[2], ids[1]]);
      const ascending: string[] = [];
      for await (const page of paginateListCertificates(
        { client: local.iot, pageSize: 2 },
        { ascendingOrder: true },
      )) {
        ascending.push(...(page.certificates ?? []).map((c) => c.certificateId!));
      }
      expect(ascending).toEqual(ids);
      const all = await local.iot.send(new ListCertificatesCommand({}));
      expect(all.certificates).toHaveLength(5);
      expect(all.nextMarker).toBeUndefined();
    } finally {
      await local.close();
    }
  });

  it('ListCertificates refuses a pageSize outside 1-250 and a marker it did not make', async () => {
    for (const pageSize of [0, 251]) {
      const error = await expectIotError(
        ep.iot.send(new ListCertificatesCommand({ pageSize })),
        'InvalidRequestException',
        400,
      );
      expect(error.message).toMatch(/pageSize/);
    }
    await expectIotError(
      ep.iot.send(new ListCertificatesCommand({ marker: 'bm90LWEtbWFya2Vy' })),
      'InvalidRequestException',
      400,
    );
  });

  it('AttachThingPrincipal attaches a certificate to things, ListThingPrincipals lists it, DetachThingPrincipal removes it', async () => {
    const { certificateArn } = await create(true);
    await ep.iot.send(new AttachThingPrincipalCommand({ thingName: 'device-1', principal: certificateArn }));
    // Attaching again changes nothing.
    await ep.iot.send(new AttachThingPrincipalCommand({ thingName: 'device-1', principal: certificateArn }));
    await ep.iot.send(new AttachThingPrincipalCommand({ thingName: 'device-2', principal: certificateArn }));
    const listed = await ep.iot.send(new ListThingPrincipalsCommand({ thingName: 'device-1' }));
    expect(listed.principals).toEqual([certificateArn]);
    const der = new X509Certificate(
      (await ep.iot.send(new DescribeCertificateCommand({ certificateId: certificateArn!.split('/')[1] })))
        .certificateDescription!.certificatePem!,
    ).raw;
    expect(ep.emulator.certificates.check(der)).toMatchObject({ ok: true, things: ['device-1', 'device-2'] });
    await ep.iot.send(new DetachThingPrincipalCommand({ thingName: 'device-1', principal: certificateArn }));
    // Detaching what is not attached succeeds too.
    await ep.iot.send(new DetachThingPrincipalCommand({ thingName: 'device-1', principal: certificateArn }));
    expect((await ep.iot.send(new ListThingPrincipalsCommand({ thingName: 'device-1' }))).principals).toEqual(
      [],
    );
    expect(ep.emulator.certificates.check(der)).toMatchObject({ ok: true, things: ['device-2'] });
  });

  it('ListThingPrincipals pages with maxResults and nextToken', async () => {
    ep.emulator.registry.things.createThing({ thingName: 'gateway' });
    const arns: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { certificateArn } = await create(true);
      await ep.iot.send(new AttachThingPrincipalCommand({ thingName: 'gateway', principal: certificateArn }));
      arns.push(certificateArn!);
    }
    const first = await ep.iot.send(new ListThingPrincipalsCommand({ thingName: 'gateway', maxResults: 2 }));
    expect(first.principals).toEqual(arns.slice(0, 2));
    const second = await ep.iot.send(
      new ListThingPrincipalsCommand({ thingName: 'gateway', maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second.principals).toEqual(arns.slice(2));
    expect(second.nextToken).toBeUndefined();
  });

  it('an EXCLUSIVE_THING principal belongs to one thing only', async () => {
    const { certificateArn } = await create(true);
    await ep.iot.send(
      new AttachThingPrincipalCommand({
        thingName: 'device-1',
        principal: certificateArn,
        thingPrincipalType: 'EXCLUSIVE_THING',
      }),
    );
    await expectIotError(
      ep.iot.send(new AttachThingPrincipalCommand({ thingName: 'device-2', principal: certificateArn })),
      'InvalidRequestException',
      400,
    );
    const shared = await create(true);
    await ep.iot.send(
      new AttachThingPrincipalCommand({ thingName: 'device-1', principal: shared.certificateArn }),
    );
    await expectIotError(
      ep.iot.send(
        new AttachThingPrincipalCommand({
          thingName: 'device-2',
          principal: shared.certificateArn,
          thingPrincipalType: 'EXCLUSIVE_THING',
        }),
      ),
      'InvalidRequestException',
      400,
    );
  });

  it('the principal operations answer ResourceNotFoundException for an unknown thing or certificate, InvalidRequestException for a principal that is no certificate ARN', async () => {
    const { certificateArn } = await create(true);
    for (const command of [
      new AttachThingPrincipalCommand({ thingName: 'nobody', principal: certificateArn }),
      new DetachThingPrincipalCommand({ thingName: 'nobody', principal: certificateArn }),
      new AttachThingPrincipalCommand({ thingName: 'device-1', principal: certArn(unknownId) }),
      new DetachThingPrincipalCommand({ thingName: 'device-1', principal: certArn(unknownId) }),
    ]) {
      await expectIotError(
        ep.iot.send(command as AttachThingPrincipalCommand),
        'ResourceNotFoundException',
        404,
      );
    }
    await expectIotError(
      ep.iot.send(new ListThingPrincipalsCommand({ thingName: 'nobody' })),
      'ResourceNotFoundException',
      404,
    );
    for (const principal of [
      'us-east-1:12345678-1234-1234-1234-123456789012',
      `arn:aws:iot:eu-west-1:000000000000:cert/${unknownId}`,
      'arn:aws:iot:us-east-1:000000000000:thing/device-1',
    ]) {
      const error = await expectIotError(
        ep.iot.send(new AttachThingPrincipalCommand({ thingName: 'device-1', principal })),
        'InvalidRequestException',
        400,
      );
      expect(error).toBeInstanceOf(InvalidRequestException);
    }
  });

  it('DescribeEndpoint answers the local addresses, host only on AWS own port, and refuses other types', async () => {
    const local = await startIotEndpoint();
    try {
      const describe = (endpointType?: string) =>
        local.iot.send(new DescribeEndpointCommand(endpointType === undefined ? {} : { endpointType }));
      await expectIotError(describe('iot:Data-ATS'), 'InvalidRequestException', 400);
      local.emulator.setEndpoint('iot:Data-ATS', { host: '127.0.0.1', port: 8883 });
      local.emulator.setEndpoint('iot:Jobs', { host: '127.0.0.1', port: 4566 });
      expect((await describe('iot:Data-ATS')).endpointAddress).toBe('127.0.0.1');
      expect((await describe('iot:Data')).endpointAddress).toBe('127.0.0.1');
      expect((await describe()).endpointAddress).toBe('127.0.0.1');
      expect((await describe('iot:Jobs')).endpointAddress).toBe('127.0.0.1:4566');
      local.emulator.setEndpoint('iot:Data-ATS', { host: '127.0.0.1', port: 18883 });
      expect((await describe('iot:Data-ATS')).endpointAddress).toBe('127.0.0.1:18883');
      local.emulator.setEndpoint('iot:Data-ATS', undefined);
      await expectIotError(describe('iot:Data-ATS'), 'InvalidRequestException', 400);
      await expectIotError(describe('iot:CredentialProvider'), 'InvalidRequestException', 400);
      await expectIotError(describe('iot:Nothing'), 'InvalidRequestException', 400);
    } finally {
      await local.close();
    }
  });
});
