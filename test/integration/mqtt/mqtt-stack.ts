/**
 * The MQTT broker on the local IoT endpoint, for the broker's tests: the
 * fleet simulator on a manual virtual clock, the broker on free loopback
 * ports (plain, and mutual TLS with the local IoT's own CA and the
 * certificates a user makes with CreateKeysAndCertificate), and mqtt.js
 * clients with an inbox that hands out the messages of a topic in order.
 */
import {
  AttachThingPrincipalCommand,
  type CertificateStatus,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import mqtt, { type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { afterEach, beforeEach } from 'vitest';
import { type MqttBroker, type MqttBrokerOptions, startMqttBroker } from '../../../local/mqtt/mqtt-broker.js';
import { fixedProfile } from '../../support/fleet.js';
import { type FleetEndpoint, startFleetEndpoint } from '../fleet/fleet-endpoint.js';

/** A device certificate and its private key, both PEM, as CreateKeysAndCertificate answers them. */
export interface Issued {
  certPem: string;
  keyPem: string;
  certificateId: string;
  certificateArn: string;
}

/** The certificates side as the tests use it, through the IoT API. */
interface StackCertificates {
  /** The local root CA, PEM. */
  readonly caPem: string;
  /** A new certificate in `status`, attached to `things` (CreateKeysAndCertificate, AttachThingPrincipal). */
  device(status: 'ACTIVE' | 'INACTIVE', things: string[]): Promise<Issued>;
  /** UpdateCertificate. */
  setStatus(issued: Issued, status: CertificateStatus): Promise<void>;
}

export interface MqttStack extends FleetEndpoint {
  broker: MqttBroker;
  certificates: StackCertificates;
  /** `mqtt://127.0.0.1:<port>` */
  mqttUrl: string;
  /** `mqtts://127.0.0.1:<port>` */
  mqttsUrl: string;
}

/** A broker's options over the endpoint's IoT emulator, on free ports (plain and TLS). */
export function brokerOptions(endpoint: FleetEndpoint): MqttBrokerOptions {
  return {
    deviceJobs: endpoint.emulator.deviceJobs,
    events: endpoint.emulator.events,
    clock: endpoint.clock,
    port: 0,
    tlsPort: 0,
    certificates: endpoint.emulator.certificates,
  };
}

/** The endpoint with the broker on free ports; close it with `close()`, which closes both. */
export async function startMqttStack(): Promise<MqttStack> {
  const endpoint = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds: 10 }) });
  await endpoint.emulator.certificates.ready();
  const broker = await startMqttBroker(brokerOptions(endpoint));
  const { iot } = endpoint;
  const certificates: StackCertificates = {
    caPem: endpoint.emulator.certificates.caPem,
    async device(status, things) {
      const made = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: status === 'ACTIVE' }));
      for (const thingName of things) {
        await iot.send(new AttachThingPrincipalCommand({ thingName, principal: made.certificateArn }));
      }
      return {
        certPem: made.certificatePem!,
        keyPem: made.keyPair!.PrivateKey!,
        certificateId: made.certificateId!,
        certificateArn: made.certificateArn!,
      };
    },
    async setStatus(issued, newStatus) {
      await iot.send(new UpdateCertificateCommand({ certificateId: issued.certificateId, newStatus }));
    },
  };
  return {
    ...endpoint,
    broker,
    certificates,
    mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
    mqttsUrl: `mqtts://127.0.0.1:${broker.tlsPort}`,
    close: async () => {
      await broker.close();
      await endpoint.close();
    },
  };
}

/** The virtual clock's start (2026-01-01T00:00:00Z) in epoch seconds, as the jobs topics write times. */
export const t0 = Date.UTC(2026, 0, 1) / 1000;

/** What a file's tests share: the stack and a plain client connected as the first thing. */
export interface DeviceFixture {
  readonly stack: MqttStack;
  readonly device: Device;
}

/**
 * Before each test, starts the stack with external things `things` (in group
 * `fleet`) and connects a plain client as the first; after it, closes both.
 */
export function useDeviceFixture(things: string[]): () => DeviceFixture {
  let fixture: DeviceFixture | undefined;
  beforeEach(async () => {
    const stack = await startMqttStack();
    await createExternalThings(stack, 'fleet', things);
    fixture = { stack, device: await Device.connect(stack.mqttUrl, { clientId: things[0] }) };
  });
  afterEach(async () => {
    await fixture?.device.close();
    await fixture?.stack.close();
  });
  return () => fixture!;
}

/** Creates external things (`fleetwave:simulated` = "false") in static group `group`, through the SDK. */
export async function createExternalThings(stack: MqttStack, group: string, names: string[]): Promise<void> {
  const registry = stack.emulator.registry.things;
  if (registry.keyOf(group) === undefined) registry.createThingGroup({ thingGroupName: group });
  for (const thingName of names) {
    await stack.iot.send(
      new CreateThingCommand({
        thingName,
        attributePayload: { attributes: { 'fleetwave:simulated': 'false' } },
      }),
    );
    registry.addThingToThingGroup(thingName, group);
  }
}

/** How a connection attempt ended: connected (then closed), or refused with the error mqtt.js saw, if any. */
export type Attempt = { connected: true } | { connected: false; error?: Error & { code?: number | string } };

/** Tries to connect once, and closes whatever connected. */
export function tryConnect(url: string, options: IClientOptions = {}): Promise<Attempt> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    let error: Error | undefined;
    client.once('connect', () => {
      client.end(true);
      resolve({ connected: true });
    });
    client.on('error', (e) => {
      error ??= e;
    });
    client.once('close', () => {
      client.end(true);
      resolve({ connected: false, ...(error && { error }) });
    });
  });
}

/** A received message: its topic, its JSON and the QoS it came with. */
export interface Received {
  topic: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  json: any;
  qos: number;
}

/** An mqtt.js client and the messages it received, per topic, in order. */
export class Device {
  private readonly queues = new Map<string, Received[]>();
  private waiting: { topics: readonly string[]; resolve: (message: Received) => void }[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const message = { topic, json: JSON.parse(payload.toString()), qos: packet.qos };
      const waiter = this.waiting.find((w) => w.topics.includes(topic));
      if (waiter) {
        this.waiting = this.waiting.filter((w) => w !== waiter);
        waiter.resolve(message);
      } else this.queues.set(topic, [...(this.queues.get(topic) ?? []), message]);
    });
  }

  static async connect(url: string, options: IClientOptions = {}): Promise<Device> {
    return new Device(await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options }));
  }

  /** Whether the broker's CONNACK said it resumed a session (mqtt.js keeps the CONNACK private). */
  get sessionPresent(): boolean | undefined {
    return (this.client as unknown as { connackPacket?: IConnackPacket }).connackPacket?.sessionPresent;
  }

  /** The next message on any of `topics` (already received, or the next to come). */
  next(...topics: string[]): Promise<Received> {
    for (const topic of topics) {
      const queued = this.queues.get(topic)?.shift();
      if (queued) return Promise.resolve(queued);
    }
    return new Promise((resolve) => this.waiting.push({ topics, resolve }));
  }

  /** The messages received on `topic` and not taken yet. */
  pending(topic: string): Received[] {
    return this.queues.get(topic) ?? [];
  }

  /** Publishes a request on `topic` and resolves its answer, from `/accepted` or `/rejected`. */
  async request(topic: string, payload: object | string = {}, qos: 0 | 1 = 1): Promise<Received> {
    await this.client.subscribeAsync([`${topic}/accepted`, `${topic}/rejected`], { qos });
    const answer = this.next(`${topic}/accepted`, `${topic}/rejected`);
    await this.client.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), {
      qos,
    });
    return answer;
  }

  /**
   * Subscribes to `filters` and resolves the SUBACK's codes, refusals included
   * (mqtt.js turns a SUBACK with a refusal into an error that carries it).
   */
  async granted(filters: string[]): Promise<number[]> {
    try {
      return (await this.client.subscribeAsync(filters)).map((g) => g.qos);
    } catch (error) {
      return (error as { packet: { granted: number[] } }).packet.granted;
    }
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
