/**
 * What a client cannot do to the broker: a malformed packet, a packet over
 * the size limit, a flood of requests, or vanishing in the middle of a
 * request drops (at most) that client, and the stack goes on answering the
 * others. Also which MQTT protocol levels connect.
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import type { IClientOptions } from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMqttBroker } from '../../../local/mqtt/mqtt-broker.js';
import { maxPayloadBytes } from '../../../local/mqtt/packet-size-guard.js';
import { second } from '../../support/fleet.js';
import { groupArn } from '../fleet/fleet-endpoint.js';
import {
  brokerOptions,
  createExternalThings,
  Device,
  type MqttStack,
  startMqttStack,
  tryConnect,
} from './mqtt-stack.js';

let stack: MqttStack;
const jobs = '$aws/things/device-0/jobs';

beforeEach(async () => {
  stack = await startMqttStack();
  await createExternalThings(stack, 'fleet', ['device-0']);
  await stack.iot.send(
    new CreateJobCommand({ jobId: 'job', document: '{}', targets: [groupArn(stack, 'fleet')] }),
  );
  await stack.clock.advance(1 * second);
});
afterEach(async () => stack.close());

/** Opens a raw TCP connection to the plain port, writes `bytes`, and resolves once the broker closed it. */
function closedAfter(bytes: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = tcpConnect(stack.broker.port!, '127.0.0.1', () => {
      for (const chunk of bytes) socket.write(chunk);
    });
    socket.on('error', () => {});
    socket.once('close', () => resolve());
    socket.once('timeout', () => reject(new Error('the broker kept the connection')));
  });
}

/** Opens a raw TCP connection to the plain port, writes `bytes`, and resolves what the broker sent before closing it. */
function answeredBeforeClose(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const socket: Socket = tcpConnect(stack.broker.port!, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => {});
    socket.once('close', () => resolve(Buffer.concat(received)));
  });
}

/**
 * An MQTT 5 CONNECT: `flags`, `properties` (their bytes), then the payload's
 * strings (client id, then user name and password as flagged).
 */
function connect5Packet(flags: number, strings: string[], properties: number[] = []): Buffer {
  const variable = Buffer.from([
    0,
    4,
    0x4d,
    0x51,
    0x54,
    0x54,
    5,
    flags,
    0,
    60,
    properties.length,
    ...properties,
  ]);
  const payload = Buffer.concat(
    strings.map((s) => Buffer.concat([Buffer.from([0, s.length]), Buffer.from(s)])),
  );
  return Buffer.concat([Buffer.from([0x10, variable.length + payload.length]), variable, payload]);
}

/** Where the slow clients below publish, and what they subscribe to. */
const slowTopic = '$aws/things/slow/jobs/x';

/**
 * A raw 3.1.1 client on `port` subscribed to {@link slowTopic} that reads
 * nothing once subscribed (its socket is paused), and publishes there.
 */
async function slowClient(
  port: number,
): Promise<{ socket: Socket; publish: (payload: string | Buffer) => void }> {
  const socket = tcpConnect(port, '127.0.0.1');
  socket.on('error', () => {});
  const write = (packet: Packet) => socket.write(mqttPacket.generate(packet, { protocolVersion: 4 }));
  const subscribed = new Promise((resolve) => socket.once('data', resolve));
  write({
    cmd: 'connect',
    clientId: 'slow',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    keepalive: 0,
  });
  write({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: slowTopic, qos: 0 }] });
  await subscribed;
  socket.pause();
  const publish = (payload: string | Buffer) =>
    write({ cmd: 'publish', topic: slowTopic, payload, qos: 0, dup: false, retain: false });
  return { socket, publish };
}

/** A healthy client is still answered. */
async function stillAnswers(): Promise<void> {
  const device = await Device.connect(stack.mqttUrl);
  try {
    expect((await device.request(`${jobs}/get`, {})).topic).toBe(`${jobs}/get/accepted`);
  } finally {
    await device.close();
  }
}

/** An MQTT 3.1.1 CONNECT with a clean session and client id `id`. */
function connectPacket(id: string): Buffer {
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 60]);
  const payload = Buffer.concat([Buffer.from([0, id.length]), Buffer.from(id)]);
  return Buffer.concat([Buffer.from([0x10, variable.length + payload.length]), variable, payload]);
}

describe('the broker survives', () => {
  it('a malformed packet', async () => {
    await closedAfter([connectPacket('bad'), Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f])]);
    await closedAfter([Buffer.from('GET / HTTP/1.1\r\n\r\n')]);
    // A CONNECT naming another protocol.
    await closedAfter([Buffer.from([0x10, 0x06, 0x00, 0x02, 0x41, 0x42, 0x04, 0x02])]);
    await stillAnswers();
  });

  it('a CONNECT that announces a protocol name no MQTT has, then trickles: dropped at once', async () => {
    // A 65,535-byte protocol name would keep the connection waiting for its level, a byte at a time.
    const closed = closedAfter([Buffer.from([0x10, 0x7f, 0xff, 0xff])]).then(() => 'closed' as const);
    const answered = stillAnswers().then(() => 'answered' as const);
    expect(await Promise.race([closed, answered])).toBe('closed');
    await answered;
  });

  it('MQTT 5 CONNECTs that have no 3.1.1 form', async () => {
    // A password without a user name (legal at 5, not at 3.1.1): connected, the password dropped.
    const passwordOnly = await answeredBeforeClose(
      Buffer.concat([connect5Packet(0x42, ['a', 'x']), Buffer.from([0xe0, 0])]),
    );
    expect([...passwordOnly.subarray(0, 5)]).toEqual([0x20, 3, 0, 0, 0]);
    // An empty client id for a session that outlives the connection (clean start 0, session expiry 60 s):
    // CONNACK 0x85 (client identifier not valid).
    const noClientId = await answeredBeforeClose(connect5Packet(0x00, [''], [0x11, 0, 0, 0, 60]));
    expect([...noClientId.subarray(0, 5)]).toEqual([0x20, 3, 0, 0x85, 0]);
    // Without a session expiry the session ends with the connection: the broker names the client.
    const named = await answeredBeforeClose(
      Buffer.concat([connect5Packet(0x00, ['']), Buffer.from([0xe0, 0])]),
    );
    expect([...named.subarray(0, 5)]).toEqual([0x20, 3, 0, 0, 0]);
    await stillAnswers();
  });

  it('a packet announcing more than the limit, dropped before it arrives', async () => {
    // A PUBLISH announcing 256 MB (remaining length 0xFFFFFF7F), then only its first bytes.
    await closedAfter([
      connectPacket('huge'),
      Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0, 3, 0x61, 0x2f, 0x62]),
    ]);
    const device = await Device.connect(stack.mqttUrl);
    const closed = new Promise<void>((resolve) => device.client.once('close', () => resolve()));
    device.client.publish(`${jobs}/get`, Buffer.alloc(maxPayloadBytes + 1, 0x20));
    await closed;
    await device.close();
    await stillAnswers();
  });

  it('a flood of requests from one client: every one answered, in order', async () => {
    const device = await Device.connect(stack.mqttUrl);
    try {
      await device.client.subscribeAsync(`${jobs}/get/accepted`, { qos: 0 });
      const count = 2000;
      for (let i = 0; i < count; i++)
        device.client.publish(`${jobs}/get`, JSON.stringify({ clientToken: `${i}` }));
      const tokens: string[] = [];
      for (let i = 0; i < count; i++)
        tokens.push((await device.next(`${jobs}/get/accepted`)).json.clientToken);
      expect(tokens).toEqual(Array.from({ length: count }, (_, i) => `${i}`));
    } finally {
      await device.close();
    }
  });

  it('a client that stops reading delays no one, and is not dropped while within its cap', async () => {
    // A cap above what the slow client is sent, so that everything waits for it in the broker.
    const roomy = await startMqttBroker({ ...brokerOptions(stack), clientBufferBytes: 64 * 1024 * 1024 });
    const { socket: slow, publish } = await slowClient(roomy.port!);
    const other = await Device.connect(`mqtt://127.0.0.1:${roomy.port}`);
    try {
      await other.client.subscribeAsync(slowTopic, { qos: 0 });
      // The slow client reads nothing more and publishes to itself far more than its socket holds:
      // aedes keeps 100 deliveries in flight, and each one to a full socket used to wait for it to drain.
      const big = JSON.stringify({ n: 0, padding: 'x'.repeat(120 * 1024) });
      for (let i = 0; i < 200; i++) publish(big);
      publish(JSON.stringify({ n: 'last' }));
      // The other subscriber receives all of them, and is answered...
      for (;;) if ((await other.next(slowTopic)).json.n === 'last') break;
      expect((await other.request(`${jobs}/get`, {})).topic).toBe(`${jobs}/get/accepted`);
      // ...and the slow one, reading again, receives everything: it was never dropped.
      const parser = mqttPacket.parser({ protocolVersion: 4 });
      const received = new Promise<number>((resolve) => {
        let count = 0;
        parser.on('packet', (packet) => {
          if (packet.cmd === 'publish' && ++count === 201) resolve(count);
        });
        slow.once('close', () => resolve(count));
      });
      slow.on('data', (chunk: Buffer) => parser.parse(chunk));
      slow.resume();
      expect(await received).toBe(201);
    } finally {
      slow.destroy();
      await other.close();
      await roomy.close();
    }
  });

  it('a client that stops reading is dropped once more than its cap waits for it', async () => {
    const { socket: slow, publish } = await slowClient(stack.broker.port!);
    const closed = new Promise((resolve) => slow.once('close', resolve));
    const big = Buffer.alloc(120 * 1024, 0x20);
    // The socket holds a few MB, the broker 4 MB more: 48 MB is well over both.
    for (let i = 0; i < 400; i++) publish(big);
    await closed;
    await stillAnswers();
  });

  it('a client holding many filters: 50 per connection, as AWS, the rest refused in the SUBACK', async () => {
    const device = await Device.connect(stack.mqttUrl);
    try {
      const filters = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) => `$aws/+/f${from + i}/#`);
      expect(await device.granted(filters(0, 40))).toEqual(Array(40).fill(0));
      // Again the same ones (no more held), then 10 more of 15 new ones in one SUBSCRIBE.
      expect(await device.granted(filters(0, 40))).toEqual(Array(40).fill(0));
      expect(await device.granted(filters(40, 55))).toEqual([...Array(10).fill(0), ...Array(5).fill(128)]);
      await device.client.unsubscribeAsync(filters(0, 1));
      expect(await device.granted(filters(55, 57))).toEqual([0, 128]);
      await stillAnswers();
    } finally {
      await device.close();
    }
  });

  it('a retained message under $aws/: the client is disconnected, nothing is kept', async () => {
    const device = await Device.connect(stack.mqttUrl);
    const closed = new Promise<void>((resolve) => device.client.once('close', () => resolve()));
    device.client.publish(`${jobs}/notify-next`, '{"forged":true}', { qos: 1, retain: true });
    await closed;
    await device.close();
    const listener = await Device.connect(stack.mqttUrl);
    try {
      await listener.client.subscribeAsync(`${jobs}/notify-next`, { qos: 1 });
      // Answered after the SUBACK: a retained message would have come before it.
      await listener.request(`${jobs}/get`);
      expect(listener.pending(`${jobs}/notify-next`)).toEqual([]);
      // Elsewhere retained messages are taken.
      await listener.client.publishAsync('telemetry/device-0', '{}', { qos: 1, retain: true });
    } finally {
      await listener.close();
    }
  });

  it('a client that vanishes in the middle of a request', async () => {
    const device = await Device.connect(stack.mqttUrl, { clientId: 'device-0' });
    await device.client.subscribeAsync(`${jobs}/start-next/accepted`, { qos: 1 });
    device.client.publish(`${jobs}/start-next`, '{}', { qos: 1 });
    device.client.stream.destroy();
    await device.close();
    // The request reached the store or not; either way the next client sees a consistent queue.
    const again = await Device.connect(stack.mqttUrl, { clientId: 'device-0' });
    try {
      const answer = await again.request(`${jobs}/start-next`, {});
      expect(answer.json.execution).toMatchObject({ jobId: 'job', status: 'IN_PROGRESS', versionNumber: 2 });
    } finally {
      await again.close();
    }
  });
});

describe('MQTT versions', () => {
  it('3.1 and 3.1.1 connect', async () => {
    expect(await tryConnect(stack.mqttUrl, { protocolVersion: 4 })).toEqual({ connected: true });
    expect(await tryConnect(stack.mqttUrl, { protocolVersion: 3, protocolId: 'MQIsdp' })).toEqual({
      connected: true,
    });
  });

  it('5: clean start 0 resumes a session only when it has a session expiry', async () => {
    const subscribeThenLeave = async (options: IClientOptions) => {
      const first = await Device.connect(stack.mqttUrl, { protocolVersion: 5, clean: false, ...options });
      await first.client.subscribeAsync(`${jobs}/notify-next`, { qos: 1 });
      await first.close();
    };
    const sessionPresent = async (options: IClientOptions) => {
      const again = await Device.connect(stack.mqttUrl, { protocolVersion: 5, clean: false, ...options });
      const present = again.sessionPresent;
      await again.close();
      return present;
    };
    await subscribeThenLeave({ clientId: 'no-expiry' });
    expect(await sessionPresent({ clientId: 'no-expiry' })).toBe(false);
    const expiry = { clientId: 'expiry', properties: { sessionExpiryInterval: 3600 } };
    await subscribeThenLeave(expiry);
    expect(await sessionPresent(expiry)).toBe(true);
  });

  it('5 connects through the adapter and uses the jobs topics, QoS 1, unsubscribe and notify-next', async () => {
    const device = await Device.connect(stack.mqttUrl, { protocolVersion: 5, clientId: 'device-0' });
    try {
      const answer = await device.request(`${jobs}/start-next`, { clientToken: 'v5' });
      expect(answer).toMatchObject({
        topic: `${jobs}/start-next/accepted`,
        qos: 1,
        json: { clientToken: 'v5', execution: { jobId: 'job', status: 'IN_PROGRESS' } },
      });
      await device.client.unsubscribeAsync([`${jobs}/start-next/accepted`, `${jobs}/start-next/rejected`]);
      await device.client.subscribeAsync(`${jobs}/notify-next`, { qos: 1 });
      await device.request(`${jobs}/job/update`, { status: 'SUCCEEDED' });
      expect((await device.next(`${jobs}/notify-next`)).json).toEqual({ timestamp: expect.any(Number) });
    } finally {
      await device.close();
    }
  });
});
