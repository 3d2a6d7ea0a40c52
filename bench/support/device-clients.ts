/**
 * The devices of `bench/devices.ts`, in a process of their own so that the
 * stack's memory and event loop are measured without them: mqtt.js
 * connections (one per thing) and an `@aws-sdk/client-iot-jobs-data-plane`
 * client, driven over IPC by the benchmark. Each device takes its jobs as
 * an agent does: start-next, an IN_PROGRESS progress update, then SUCCEEDED.
 *
 *   spawned by bench/devices.ts: node --import tsx bench/support/device-clients.ts
 */
import { Agent } from 'node:http';
import { Socket } from 'node:net';
import {
  IoTJobsDataPlaneClient,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** Round-trip times of one run, in ms, per call. */
export interface RunSamples {
  startNext: number[];
  progress: number[];
  succeed: number[];
  /** Wall time of the whole run. */
  wallMs: number;
  /** CPU time this process (the devices) spent in the run, in ms. */
  clientCpuMs: number;
  /** `notify-next` messages the devices received meanwhile (MQTT only). */
  notifications: number;
  /** The first job document a start-next carried (with its presigned URL). */
  firstDocument?: string;
}

/** What the benchmark asks of this process; each answers with the matching {@link ClientResults} entry. */
export interface ClientCalls {
  /** Connects (and subscribes) one client per thing, at most `window` connecting at once. */
  connect(input: { url: string; names: string[]; window: number }): { wallMs: number; latencies: number[] };
  /** Connects and closes `count` clients one after another: CONNECT to CONNACK, TLS handshake included. */
  connectEach(input: { url: string; count: number; tls?: TlsIdentity }): { latencies: number[] };
  /** `rounds` jobs per thing over the MQTT connections, `concurrency` devices at a time. */
  mqttRun(input: { names: string[]; rounds: number; concurrency: number }): RunSamples;
  /** The same over the HTTPS jobs data plane. */
  httpsRun(input: {
    endpoint: string;
    region: string;
    names: string[];
    rounds: number;
    concurrency: number;
  }): RunSamples;
  /** Downloads `url` `count` times; the bytes of each. */
  download(input: { url: string; count: number }): { wallMs: number; bytes: number[] };
  /** Closes every connection. */
  close(input: Record<string, never>): { closed: number };
}

export interface TlsIdentity {
  ca: string;
  cert: string;
  key: string;
}

/** One IPC request and its answer. */
export type ClientRequest = { id: number; method: keyof ClientCalls; input: unknown };
export type ClientAnswer = { id: number; result?: unknown; error?: string };

interface Execution {
  jobId: string;
  jobDocument?: string;
}

/** How a device reaches its jobs; the loop below is the same for both transports. */
interface DeviceTransport {
  startNext(thingName: string, statusDetails: Record<string, string>): Promise<Execution | undefined>;
  update(
    thingName: string,
    jobId: string,
    status: 'IN_PROGRESS' | 'SUCCEEDED',
    statusDetails: Record<string, string>,
  ): Promise<void>;
}

/** Runs `rounds` jobs for each thing, `concurrency` things at a time, timing each call. */
async function runDevices(
  transport: DeviceTransport,
  names: readonly string[],
  rounds: number,
  concurrency: number,
): Promise<RunSamples> {
  const samples: RunSamples = {
    startNext: [],
    progress: [],
    succeed: [],
    wallMs: 0,
    clientCpuMs: 0,
    notifications: 0,
  };
  const timed = async <T>(into: number[], call: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await call();
    into.push(performance.now() - t);
    return result;
  };
  let next = 0;
  const loop = async () => {
    while (next < names.length) {
      const thingName = names[next++]!;
      for (let round = 0; round < rounds; round++) {
        const execution = await timed(samples.startNext, () =>
          transport.startNext(thingName, { step: 'downloading' }),
        );
        if (execution === undefined) throw new Error(`start-next found no job for ${thingName}`);
        samples.firstDocument ??= execution.jobDocument;
        await timed(samples.progress, () =>
          transport.update(thingName, execution.jobId, 'IN_PROGRESS', { step: 'installing', progress: '50' }),
        );
        await timed(samples.succeed, () =>
          transport.update(thingName, execution.jobId, 'SUCCEEDED', { step: 'done' }),
        );
      }
    }
  };
  const began = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, loop));
  samples.wallMs = performance.now() - began;
  const { user, system } = process.cpuUsage(cpu);
  samples.clientCpuMs = (user + system) / 1000;
  return samples;
}

/** One mqtt.js connection of a thing: requests correlated with their answers by `clientToken`. */
class MqttDevice {
  private seq = 0;
  private readonly waiting = new Map<
    string,
    { resolve: (json: unknown) => void; reject: (e: Error) => void }
  >();
  notifications = 0;

  constructor(
    readonly thingName: string,
    readonly client: MqttClient,
  ) {
    client.on('message', (topic, payload) => {
      if (topic.endsWith('/notify-next')) {
        this.notifications++;
        return;
      }
      const json = JSON.parse(payload.toString()) as { clientToken?: string; message?: string };
      const waiter = json.clientToken === undefined ? undefined : this.waiting.get(json.clientToken);
      if (waiter === undefined) return;
      this.waiting.delete(json.clientToken!);
      if (topic.endsWith('/accepted')) waiter.resolve(json);
      else waiter.reject(new Error(`${topic}: ${json.message}`));
    });
  }

  static async connect(url: string, thingName: string): Promise<MqttDevice> {
    const client = await mqtt.connectAsync(url, { clientId: thingName, reconnectPeriod: 0 });
    // mqtt.js leaves Nagle's algorithm on: a request written right after the PUBACK of the
    // previous answer would wait for the broker's delayed ACK (~40 ms), a cost of the client.
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
    const jobs = `$aws/things/${thingName}/jobs`;
    // The answers to its requests, and the notification of its next job.
    await client.subscribeAsync(
      [
        `${jobs}/start-next/accepted`,
        `${jobs}/start-next/rejected`,
        `${jobs}/+/update/accepted`,
        `${jobs}/+/update/rejected`,
        `${jobs}/notify-next`,
      ],
      { qos: 1 },
    );
    return new MqttDevice(thingName, client);
  }

  /** Publishes `payload` (with a fresh `clientToken`) on `topic` and resolves the `/accepted` answer. */
  request<T>(topic: string, payload: object): Promise<T> {
    const clientToken = `${this.thingName}-${this.seq++}`;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(clientToken, { resolve: (json) => resolve(json as T), reject });
      this.client.publish(topic, JSON.stringify({ ...payload, clientToken }), { qos: 1 });
    });
  }
}

const devices = new Map<string, MqttDevice>();

const mqttTransport: DeviceTransport = {
  async startNext(thingName, statusDetails) {
    const device = devices.get(thingName)!;
    const answer = await device.request<{ execution?: { jobId: string; jobDocument?: object } }>(
      `$aws/things/${thingName}/jobs/start-next`,
      { statusDetails },
    );
    const { execution } = answer;
    return (
      execution && {
        jobId: execution.jobId,
        ...(execution.jobDocument && { jobDocument: JSON.stringify(execution.jobDocument) }),
      }
    );
  },
  async update(thingName, jobId, status, statusDetails) {
    await devices
      .get(thingName)!
      .request(`$aws/things/${thingName}/jobs/${jobId}/update`, { status, statusDetails });
  },
};

function httpsTransport(client: IoTJobsDataPlaneClient): DeviceTransport {
  return {
    async startNext(thingName, statusDetails) {
      const { execution } = await client.send(
        new StartNextPendingJobExecutionCommand({ thingName, statusDetails }),
      );
      if (execution?.jobId === undefined) return undefined;
      return {
        jobId: execution.jobId,
        ...(execution.jobDocument !== undefined && { jobDocument: execution.jobDocument }),
      };
    },
    async update(thingName, jobId, status, statusDetails) {
      await client.send(new UpdateJobExecutionCommand({ thingName, jobId, status, statusDetails }));
    },
  };
}

async function connectOne(url: string, options: IClientOptions): Promise<number> {
  const t = performance.now();
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...options });
  const ms = performance.now() - t;
  await client.endAsync(true);
  return ms;
}

const calls: {
  [M in keyof ClientCalls]: (input: Parameters<ClientCalls[M]>[0]) => Promise<ReturnType<ClientCalls[M]>>;
} = {
  async connect({ url, names, window }) {
    const latencies: number[] = [];
    let next = 0;
    const began = performance.now();
    const loop = async () => {
      while (next < names.length) {
        const thingName = names[next++]!;
        const t = performance.now();
        devices.set(thingName, await MqttDevice.connect(url, thingName));
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: window }, loop));
    return { wallMs: performance.now() - began, latencies };
  },
  async connectEach({ url, count, tls }) {
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      latencies.push(
        await connectOne(url, {
          clientId: `connect-${i}`,
          ...(tls && { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true }),
        }),
      );
    }
    return { latencies };
  },
  async mqttRun({ names, rounds, concurrency }) {
    const before = [...devices.values()].reduce((n, d) => n + d.notifications, 0);
    const samples = await runDevices(mqttTransport, names, rounds, concurrency);
    samples.notifications = [...devices.values()].reduce((n, d) => n + d.notifications, 0) - before;
    return samples;
  },
  async httpsRun({ endpoint, region, names, rounds, concurrency }) {
    // One keep-alive connection per device at most, as devices polling on their own would hold.
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const client = new IoTJobsDataPlaneClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
      requestHandler: { httpAgent: agent },
      // A retried call would hide a refusal and stretch its round trip.
      maxAttempts: 1,
    });
    try {
      return await runDevices(httpsTransport(client), names, rounds, concurrency);
    } finally {
      client.destroy();
      agent.destroy();
    }
  },
  async download({ url, count }) {
    const bytes: number[] = [];
    const began = performance.now();
    for (let i = 0; i < count; i++) bytes.push((await (await fetch(url)).arrayBuffer()).byteLength);
    return { wallMs: performance.now() - began, bytes };
  },
  async close() {
    await Promise.all([...devices.values()].map((d) => d.client.endAsync(true)));
    const closed = devices.size;
    devices.clear();
    return { closed };
  },
};

process.on('message', (message: ClientRequest) => {
  const call = calls[message.method] as (input: unknown) => Promise<unknown>;
  call(message.input).then(
    (result) => process.send?.({ id: message.id, result } satisfies ClientAnswer),
    (error: unknown) =>
      process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
