/**
 * The broker's mutual-TLS port with mqtt.js: a client must present a
 * certificate issued by the local CA and ACTIVE, and may use only the jobs
 * topics of the things its certificate is attached to.
 */
import {
  AttachThingPrincipalCommand,
  CreateJobCommand,
  DetachThingPrincipalCommand,
} from '@aws-sdk/client-iot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { second } from '../../support/fleet.js';
import { groupArn } from '../fleet/fleet-endpoint.js';
import {
  createExternalThings,
  Device,
  type Issued,
  type MqttStack,
  startMqttStack,
  tryConnect,
} from './mqtt-stack.js';

let stack: MqttStack;
beforeEach(async () => {
  stack = await startMqttStack();
  await createExternalThings(stack, 'fleet', ['device-0', 'device-1']);
});
afterEach(async () => stack.close());

const tlsOptions = (client?: Issued) => ({
  ca: stack.certificates.caPem,
  rejectUnauthorized: true,
  ...(client && { cert: client.certPem, key: client.keyPem }),
});

describe('mutual TLS', () => {
  it('accepts an ACTIVE certificate of the local CA, for the jobs topics of its things', async () => {
    const issued = await stack.certificates.device('ACTIVE', ['device-0']);
    await stack.iot.send(
      new CreateJobCommand({ jobId: 'job', document: '{}', targets: [groupArn(stack, 'fleet')] }),
    );
    await stack.clock.advance(1 * second);
    const device = await Device.connect(stack.mqttsUrl, { clientId: 'device-0', ...tlsOptions(issued) });
    try {
      const answer = await device.request('$aws/things/device-0/jobs/start-next', { clientToken: 't' });
      expect(answer.json.execution).toMatchObject({ jobId: 'job', status: 'IN_PROGRESS' });
      // SUBACK's failure code (128) for both.
      expect(await device.granted(['$aws/things/device-1/jobs/notify', '$aws/events/#'])).toEqual([128, 128]);
    } finally {
      await device.close();
    }
  });

  it("disconnects a client that publishes on another thing's topics, as AWS does on a policy violation", async () => {
    const issued = await stack.certificates.device('ACTIVE', ['device-0']);
    const device = await Device.connect(stack.mqttsUrl, tlsOptions(issued));
    const closed = new Promise<void>((resolve) => device.client.once('close', () => resolve()));
    device.client.publish('$aws/things/device-1/jobs/get', '{}', { qos: 1 });
    await closed;
    await device.close();
    expect(stack.emulator.deviceJobs.pending('device-1').queuedJobs).toEqual([]);
  });

  it('disconnects a client that publishes what only the service publishes, or a retained message', async () => {
    const issued = await stack.certificates.device('ACTIVE', ['device-0']);
    const closedAfter = async (topic: string, retain: boolean) => {
      const device = await Device.connect(stack.mqttsUrl, tlsOptions(issued));
      const closed = new Promise<void>((resolve) => device.client.once('close', () => resolve()));
      device.client.publish(topic, '{}', { qos: 1, retain });
      await closed;
      await device.close();
    };
    const jobs = '$aws/things/device-0/jobs';
    await closedAfter(`${jobs}/notify-next`, false);
    await closedAfter(`${jobs}/get/accepted`, false);
    await closedAfter(`${jobs}/get`, true);
    const listener = await Device.connect(stack.mqttsUrl, tlsOptions(issued));
    try {
      // Nothing was kept for a later subscriber.
      await listener.client.subscribeAsync(`${jobs}/get`, { qos: 1 });
      // Answered after the SUBACK: a retained message would have come before it.
      expect((await listener.request(`${jobs}/$next/get`)).topic).toBe(`${jobs}/$next/get/accepted`);
      expect(listener.pending(`${jobs}/get`)).toEqual([]);
    } finally {
      await listener.close();
    }
  });

  it('refuses a client without a certificate, or with one of another CA, in the handshake', async () => {
    expect(await tryConnect(stack.mqttsUrl, tlsOptions())).toMatchObject({ connected: false });
    // Another local stack's CA: a certificate its IoT issued means nothing here.
    const other = await startMqttStack();
    const foreign = await other.certificates.device('ACTIVE', []).finally(() => other.close());
    expect(await tryConnect(stack.mqttsUrl, tlsOptions(foreign))).toMatchObject({ connected: false });
  });

  it('answers CONNACK 5 (not authorized) to an INACTIVE certificate, and to one made INACTIVE since', async () => {
    const inactive = await stack.certificates.device('INACTIVE', ['device-0']);
    const refused = await tryConnect(stack.mqttsUrl, tlsOptions(inactive));
    expect(refused).toMatchObject({ connected: false, error: { code: 5 } });
    const revoked = await stack.certificates.device('ACTIVE', ['device-0']);
    const device = await Device.connect(stack.mqttsUrl, tlsOptions(revoked));
    await stack.certificates.setStatus(revoked, 'REVOKED');
    const closed = new Promise<void>((resolve) => device.client.once('close', () => resolve()));
    device.client.publish('$aws/things/device-0/jobs/get', '{}', { qos: 1 });
    await closed;
    await device.close();
  });

  it('closes the connection at once when its certificate leaves ACTIVE, as AWS does', async () => {
    const issued = await stack.certificates.device('ACTIVE', ['device-0']);
    const device = await Device.connect(stack.mqttsUrl, { clientId: 'device-0', ...tlsOptions(issued) });
    await device.client.subscribeAsync('$aws/things/device-0/jobs/notify-next', { qos: 1 });
    const closed = new Promise<void>((resolve) => device.client.once('close', () => resolve()));
    await stack.certificates.setStatus(issued, 'REVOKED');
    // Closed without any step of the client's: no job document reaches it any more.
    await closed;
    await device.close();
  });

  it('closes the connection when a thing it had is detached, not when one is attached', async () => {
    const issued = await stack.certificates.device('ACTIVE', ['device-0']);
    const device = await Device.connect(stack.mqttsUrl, { clientId: 'device-0', ...tlsOptions(issued) });
    let closed = false;
    const whenClosed = new Promise<void>((resolve) =>
      device.client.once('close', () => {
        closed = true;
        resolve();
      }),
    );
    const principal = { principal: issued.certificateArn };
    await stack.iot.send(new AttachThingPrincipalCommand({ thingName: 'device-1', ...principal }));
    expect((await device.request('$aws/things/device-1/jobs/get')).topic).toBe(
      '$aws/things/device-1/jobs/get/accepted',
    );
    expect(closed).toBe(false);
    await stack.iot.send(new DetachThingPrincipalCommand({ thingName: 'device-0', ...principal }));
    await whenClosed;
    await device.close();
  });

  it('MQTT 5: the same refusals with 5 reason codes, 0x87 (not authorized) for CONNACK and SUBACK', async () => {
    const inactive = await stack.certificates.device('INACTIVE', ['device-0']);
    expect(await tryConnect(stack.mqttsUrl, { ...tlsOptions(inactive), protocolVersion: 5 })).toMatchObject({
      connected: false,
      error: { code: 0x87 },
    });
    const active = await stack.certificates.device('ACTIVE', ['device-0']);
    const device = await Device.connect(stack.mqttsUrl, { ...tlsOptions(active), protocolVersion: 5 });
    try {
      expect(await device.granted(['$aws/things/device-0/jobs/notify', '$aws/events/#'])).toEqual([0, 0x87]);
    } finally {
      await device.close();
    }
  });
});
