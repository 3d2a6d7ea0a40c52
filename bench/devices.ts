/**
 * Benchmark: real devices on the local stack, over MQTT and over the HTTPS
 * jobs data plane, in one run. The stack (as `npm start` builds it, broker
 * on) runs in this process; the devices run in a second process
 * (`support/device-clients.ts`), so the stack's memory and event loop are its
 * own. Each device is an external thing (`fleetwave:simulated` = "false")
 * and does what an agent does with a job: start-next, an IN_PROGRESS
 * progress update, then SUCCEEDED; every call is a round trip (request to
 * `/accepted` over MQTT, request to response over HTTPS).
 *
 * - MQTT: 1,000 mqtt.js connections (plain TCP, MQTT 3.1.1, QoS 1), the
 *   jobs client's subscriptions, all devices working at once; the connect
 *   time of the 1,000, and one connection's set-up plain and with mutual TLS.
 * - HTTPS: 1,000 other things through `@aws-sdk/client-iot-jobs-data-plane`
 *   (SigV4-signed, one keep-alive connection per device, all at once; the
 *   local endpoint is plain HTTP on loopback, so no TLS in these figures).
 * - Both also one device at a time (100 devices in turn): the round trip
 *   without a queue.
 * - The stack's RSS before the connections, with them, and at its peak;
 *   presigned downloads of a 16 MiB firmware file from the job document.
 *
 *   npx tsx bench/devices.ts                    (or `npm run bench -- devices`)
 *   npx tsx bench/devices.ts --devices 200 --rounds 3 --ended-jobs 10000 --max-seconds 120
 *
 * Bounded: `--devices` per transport (default 1,000), `--rounds` jobs per
 * device (default 1), and `--max-seconds` of wall time (default 60) after
 * which it stops and fails. `--ended-jobs` first adds that many ended jobs
 * (of another thing) to the store, as a stack that ran many waves holds.
 */
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CreateJobCommand, CreateKeysAndCertificateCommand, IoTClient } from '@aws-sdk/client-iot';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { reportResult } from './support/bench-result.js';
import type { RunSamples } from './support/device-clients.js';
import { startDeviceClients } from './support/device-clients-process.js';
import { row } from './support/load.js';
import { percentile } from './support/load-generator.js';
import { startRssSampler } from './support/rss-sampler.js';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '1' },
    'ended-jobs': { type: 'string', default: '0' },
    'max-seconds': { type: 'string', default: '60' },
  },
});
const bounded = (name: string, value: string | undefined, min: number, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
};
const DEVICES = bounded('devices', args.devices, 1, 5000);
const ROUNDS = bounded('rounds', args.rounds, 1, 20);
const ENDED_JOBS = bounded('ended-jobs', args['ended-jobs'], 0, 20_000);
const MAX_SECONDS = bounded('max-seconds', args['max-seconds'], 5, 600);
/** Devices taken one at a time for the unqueued round trip. */
const ONE_AT_A_TIME = Math.min(100, DEVICES);
/** Clients connecting at once: more would queue in the listen backlog rather than in the broker. */
const CONNECT_WINDOW = 100;
/** Connections opened one after another, plain then TLS, for the set-up cost of one. */
const SETUPS = 50;
const FILE_BYTES = 16 * 1024 * 1024;
const DOWNLOADS = 8;

const deadline = setTimeout(() => {
  console.error(`devices: not done after ${MAX_SECONDS} s (--max-seconds); stopping.`);
  process.exit(1);
}, MAX_SECONDS * 1000);

const MiB = 2 ** 20;
// A full collection before each memory sample, so the difference is what the connections keep
// (`npm run bench` starts benchmarks without --expose-gc: turn it on here).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
/** RSS and live bytes (heap, and buffers outside it) after a full collection. */
const memory = () => {
  collect();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, live: heapUsed + external };
};
const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
const stack = await startLocalStack({
  clock,
  logLevel: 'ERROR',
  mqttPort: 0,
  mqttsPort: 0,
});
const credentials = { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };
const iot = new IoTClient({ endpoint: stack.awsUrl, region: stack.region, credentials });
const clients = startDeviceClients();
const groupArn = (group: string) => `arn:aws:iot:${stack.region}:${stack.accountId}:thinggroup/${group}`;

/** External things `<prefix>-0000`…, in group `<prefix>`, the first {@link ONE_AT_A_TIME} also in `<prefix>-one`. */
function externalThings(prefix: string): string[] {
  const registry = stack.iot.registry.things;
  registry.createThingGroup({ thingGroupName: prefix });
  registry.createThingGroup({ thingGroupName: `${prefix}-one` });
  const names = Array.from({ length: DEVICES }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  for (const [i, thingName] of names.entries()) {
    registry.createThing({ thingName, attributes: { 'fleetwave:simulated': 'false' } });
    registry.addThingToThingGroup(thingName, prefix);
    if (i < ONE_AT_A_TIME) registry.addThingToThingGroup(thingName, `${prefix}-one`);
  }
  return names;
}

/** A run's samples and the CPU time the stack spent meanwhile. */
type StackRun = RunSamples & { stackCpuMs: number };

let jobs = 0;
/** The last job created over each group. */
const lastJob = new Map<string, string>();
/** CreateJob (through the SDK, as a release does) over `group`, and the clock moved until every device sees it. */
async function createJob(group: string, lastThing: string): Promise<void> {
  const jobId = `${group}-${jobs++}`;
  lastJob.set(group, jobId);
  await iot.send(
    new CreateJobCommand({
      jobId,
      targets: [groupArn(group)],
      document: JSON.stringify({
        firmware: '2.4.0',
        url: `\${aws:iot:s3-presigned-url:https://s3.amazonaws.com/firmware/bench.bin}`,
      }),
      presignedUrlConfig: { roleArn: 'arn:aws:iam::123456789012:role/iot-download', expiresInSec: 3600 },
    }),
  );
  const seen = () => stack.iot.deviceJobs.pending(lastThing).queuedJobs.some((j) => j.jobId === jobId);
  for (let s = 0; s < 120 && !seen(); s++) await clock.advance(1000);
  if (!seen()) throw new Error(`${lastThing} never saw ${jobId}`);
}

/** Runs `rounds` jobs on every thing of `group`, `concurrency` devices at a time, over `transport`. */
async function run(
  transport: 'mqtt' | 'https',
  group: string,
  names: string[],
  rounds: number,
  concurrency: number,
): Promise<StackRun> {
  for (let r = 0; r < rounds; r++) await createJob(group, names.at(-1)!);
  const started = process.cpuUsage();
  const samples = await (transport === 'mqtt'
    ? clients.call('mqttRun', { names, rounds, concurrency })
    : clients.call('httpsRun', {
        endpoint: stack.awsUrl,
        region: stack.region,
        names,
        rounds,
        concurrency,
      }));
  return { ...samples, stackCpuMs: cpuMs(started) };
}

/** CPU time (user + system) this process spent since `started`, in ms. */
function cpuMs(started: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const ms = (values: readonly number[], p: number) => Number(percentile(sorted(values), p).toFixed(2));
const calls = (s: RunSamples) => s.startNext.length + s.progress.length + s.succeed.length;
const perSecond = (s: RunSamples) => Math.round(calls(s) / (s.wallMs / 1000));
/** The stack's CPU time per round trip, in µs. */
const cpuPerCall = (s: StackRun) => Math.round((s.stackCpuMs * 1000) / calls(s));
/** The devices' process's CPU time per round trip, in µs. */
const clientCpuPerCall = (s: RunSamples) => Math.round((s.clientCpuMs * 1000) / calls(s));

try {
  const mqttNames = externalThings('mqtt');
  const httpsNames = externalThings('https');
  // Ended jobs of another thing, as a stack that ran many waves holds them.
  stack.iot.registry.things.createThing({ thingName: 'other-thing' });
  for (let j = 0; j < ENDED_JOBS; j++) {
    const jobId = `ended-${j}`;
    stack.iot.jobs.createJob({
      jobId,
      targets: [`arn:aws:iot:${stack.region}:${stack.accountId}:thing/other-thing`],
      targetSelection: 'SNAPSHOT',
    });
    stack.iot.jobs.finishJob(jobId, { status: 'CANCELED' });
  }
  await fetch(`${stack.awsUrl}/_fleetwave/files/firmware/bench.bin`, {
    method: 'PUT',
    body: new Uint8Array(FILE_BYTES).fill(7),
  });

  const before = memory();
  const connectCpu = process.cpuUsage();
  const connected = await clients.call('connect', {
    url: stack.mqtt.url!,
    names: mqttNames,
    window: CONNECT_WINDOW,
  });
  const connectCpuMs = cpuMs(connectCpu);
  const connectedMemory = memory();

  const sampler = startRssSampler();
  const mqttOne = await run('mqtt', 'mqtt-one', mqttNames.slice(0, ONE_AT_A_TIME), 1, 1);
  const mqttAll = await run('mqtt', 'mqtt', mqttNames, ROUNDS, DEVICES);
  const httpsOne = await run('https', 'https-one', httpsNames.slice(0, ONE_AT_A_TIME), 1, 1);
  const httpsAll = await run('https', 'https', httpsNames, ROUNDS, DEVICES);
  const peakRss = sampler.stop().peakBytes;

  // Set-up of one connection, plain then mutual TLS (a certificate of the local CA, ACTIVE).
  const plainSetup = await clients.call('connectEach', { url: stack.mqtt.url!, count: SETUPS });
  await stack.iot.certificates.ready();
  const certificate = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const tlsSetup = await clients.call('connectEach', {
    url: stack.mqtt.tlsUrl!,
    count: SETUPS,
    tls: {
      ca: stack.iot.certificates.caPem,
      cert: certificate.certificatePem!,
      key: certificate.keyPair!.PrivateKey!,
    },
  });

  const url = (JSON.parse(httpsAll.firstDocument ?? '{}') as { url?: string }).url;
  if (url === undefined) throw new Error('the job document carried no presigned URL');
  const downloads = await clients.call('download', { url, count: DOWNLOADS });
  if (downloads.bytes.some((b) => b !== FILE_BYTES))
    throw new Error(`downloaded ${downloads.bytes.join(', ')} bytes`);
  const mibPerSecond = (DOWNLOADS * FILE_BYTES) / MiB / (downloads.wallMs / 1000);

  const succeeded = (group: string) => String(stack.iot.jobs.counts(lastJob.get(group)!)?.SUCCEEDED);
  const updates = (s: RunSamples) => [...s.progress, ...s.succeed];
  const pair = (v: readonly number[]) => `${ms(v, 50)} / ${ms(v, 99)}`;

  console.log(
    `\n${DEVICES} devices per transport, ${ROUNDS} job(s) each, ${ENDED_JOBS} ended jobs in the store; devices in a second process:\n`,
  );
  console.log(row(['round trip, ms (p50 / p99)', 'MQTT', 'HTTPS']));
  console.log(row(['---', '---:', '---:']));
  const both = (what: string, of: (s: StackRun) => string | number) =>
    console.log(row([what, of(mqttAll), of(httpsAll)]));
  const bothOne = (what: string, of: (s: StackRun) => string | number) =>
    console.log(row([what, of(mqttOne), of(httpsOne)]));
  both(`start-next, ${DEVICES} devices at once`, (s) => pair(s.startNext));
  both('update IN_PROGRESS (progress)', (s) => pair(s.progress));
  both('update SUCCEEDED', (s) => pair(s.succeed));
  both('round trips per second', perSecond);
  both('stack CPU per round trip (µs)', cpuPerCall);
  both('devices CPU per round trip (µs)', clientCpuPerCall);
  bothOne(`start-next, one device at a time (${ONE_AT_A_TIME} devices)`, (s) => pair(s.startNext));
  bothOne('update, one device at a time', (s) => pair(updates(s)));
  bothOne('round trips per second, one at a time', perSecond);
  console.log(row(['executions SUCCEEDED (last job)', succeeded('mqtt'), succeeded('https')]));
  console.log('');
  console.log(row(['connections and memory', 'value']));
  console.log(row(['---', '---:']));
  const connectSeconds = Number((connected.wallMs / 1000).toFixed(2));
  console.log(
    row([`connect + subscribe ${DEVICES} clients, ${CONNECT_WINDOW} at a time (s)`, connectSeconds]),
  );
  console.log(row(['one client of those, p50 / p99 (ms)', pair(connected.latencies)]));
  const connectCpuUs = Math.round((connectCpuMs * 1000) / DEVICES);
  console.log(row(['stack CPU per client connected and subscribed (µs)', connectCpuUs]));
  console.log(row(['one connection alone, plain, p50 / p99 (ms)', pair(plainSetup.latencies)]));
  console.log(row(['one connection alone, mutual TLS, p50 / p99 (ms)', pair(tlsSetup.latencies)]));
  const liveKbPerConnection = Math.round((connectedMemory.live - before.live) / 1024 / DEVICES);
  console.log(row(['stack RSS before the connections (MiB)', Math.round(before.rss / MiB)]));
  console.log(row([`stack RSS with ${DEVICES} connections (MiB)`, Math.round(connectedMemory.rss / MiB)]));
  console.log(row(['live heap and buffers per connection (KB)', liveKbPerConnection]));
  console.log(row(['stack RSS peak during the runs (MiB)', Math.round(peakRss / MiB)]));
  console.log(row(['notify-next received (MQTT)', mqttOne.notifications + mqttAll.notifications]));
  console.log(row([`presigned download, ${DOWNLOADS} × 16 MiB (MiB/s)`, Math.round(mibPerSecond)]));

  /** The figures of one transport, for the results file. */
  const transport = (name: string, all: StackRun, one: StackRun) => [
    { name: `${name}: start-next p50`, value: ms(all.startNext, 50), unit: 'ms' },
    { name: `${name}: start-next p99`, value: ms(all.startNext, 99), unit: 'ms' },
    { name: `${name}: update p50`, value: ms(updates(all), 50), unit: 'ms' },
    { name: `${name}: update p99`, value: ms(updates(all), 99), unit: 'ms' },
    { name: `${name}: round trips`, value: perSecond(all), unit: '/s' },
    { name: `${name}: stack CPU per round trip`, value: cpuPerCall(all), unit: 'µs' },
    { name: `${name}: devices CPU per round trip`, value: clientCpuPerCall(all), unit: 'µs' },
    { name: `${name}: start-next, one device at a time, p50`, value: ms(one.startNext, 50), unit: 'ms' },
  ];
  reportResult({
    benchmark: 'devices',
    description: `${DEVICES} external things per transport, each start-next, update IN_PROGRESS, update SUCCEEDED (${ROUNDS} job(s)), all at once: mqtt.js over plain MQTT against @aws-sdk/client-iot-jobs-data-plane over the HTTPS data plane, devices in a second process`,
    figures: [
      { name: `MQTT: connect + subscribe ${DEVICES} clients`, value: connectSeconds, unit: 's' },
      ...transport('MQTT', mqttAll, mqttOne),
      ...transport('HTTPS', httpsAll, httpsOne),
      { name: 'MQTT: connection set-up, plain, p50', value: ms(plainSetup.latencies, 50), unit: 'ms' },
      { name: 'MQTT: connection set-up, mutual TLS, p50', value: ms(tlsSetup.latencies, 50), unit: 'ms' },
      {
        name: `stack RSS with ${DEVICES} MQTT connections`,
        value: Math.round(connectedMemory.rss / MiB),
        unit: 'MiB',
      },
      { name: 'live heap and buffers per connection', value: liveKbPerConnection, unit: 'KB' },
      { name: 'presigned download', value: Math.round(mibPerSecond), unit: 'MiB/s' },
    ],
  });
} finally {
  clearTimeout(deadline);
  await clients.call('close', {}).catch(() => undefined);
  await clients.stop();
  iot.destroy();
  await stack.close();
}
