/**
 * Benchmark: one SNAPSHOT job over a simulated fleet of N things (default
 * 100,000), rolled out at 1000 executions per minute, with the virtual clock
 * in max mode (as fast as the CPU allows) until the job is COMPLETED.
 *
 * Everything goes through the real local endpoint on 127.0.0.1: the fleet is
 * seeded with `POST /_fleetwave/fleet/seed`, the job is created with the AWS
 * SDK's CreateJobCommand (so its 100,000 executions are created by the IoT
 * endpoint's CreateJob), the clock is switched with
 * `PUT /_fleetwave/clock/mode`, and a client polls DescribeJob through the
 * SDK while it runs, as a release workflow would.
 *
 *   npx tsx bench/fleet.ts                     (or `npm run bench` for every benchmark)
 *   npx tsx bench/fleet.ts --things 1000000    another fleet size (up to 1,000,000)
 *   npx tsx --expose-gc bench/fleet.ts         also the live heap after each phase (forced GC)
 */
import { parseArgs } from 'node:util';
import { CreateJobCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { attachFleetSimulator } from '../local/fleet/attach-fleet.js';
import type { BehaviourProfiles } from '../local/fleet/behaviour-profile.js';
import { startIotEndpoint } from '../test/support/iot-endpoint.js';
import { reportResult } from './support/bench-result.js';
import { startRssSampler } from './support/rss-sampler.js';

const { values: args } = parseArgs({ options: { things: { type: 'string', default: '100000' } } });
const fleetSize = Number(args.things);
if (!Number.isInteger(fleetSize) || fleetSize < 1 || fleetSize > 1_000_000) {
  throw new RangeError('--things must be an integer from 1 to 1000000');
}
const maximumPerMinute = 1000;
/** `bench-100k` for the default fleet: the job id seeds every device's fate, so it keeps the figures comparable. */
const jobId = `bench-${fleetSize % 1000 === 0 ? `${fleetSize / 1000}k` : fleetSize}`;
const thousands = fleetSize.toLocaleString('en-US');

/** A healthy fleet that always finishes: nobody stays offline, and hung devices time out. */
const profiles: BehaviourProfiles = {
  default: {
    outcomes: { fail: 0.01, reject: 0.005, hang: 0.002 },
    startLatency: { medianSeconds: 20, spread: 0.6 },
    runLatency: { medianSeconds: 180, spread: 0.5 },
  },
};

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const seconds = (ms: number) => Math.round(ms) / 1000;

/** With `--expose-gc`: the live heap after a forced collection, printed per phase to show where the bytes go. */
const collect = (globalThis as { gc?: () => void }).gc;
function liveHeap(phase: string): void {
  if (!collect) return;
  collect();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  console.log(
    `  live heap ${phase}: ${mib(heapUsed)} MiB (+ ${mib(external)} MiB external, of which ${mib(arrayBuffers)} MiB array buffers)`,
  );
}

/** CPU seconds (user + system) since `from`: on a shared machine, steadier than wall time. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(from);
  return Math.round((user + system) / 1000) / 1000;
};

const rss = startRssSampler();
const began = performance.now();
const cpuAtStart = process.cpuUsage();
const ep = await startIotEndpoint();
liveHeap('at start');
const fleet = attachFleetSimulator(ep.emulator, { clock: ep.clock, seed: 'bench', profiles });
let notifications = 0;
fleet.onEvent((event) => {
  if (event.type === 'notified') notifications++;
});

async function admin(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${ep.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

try {
  const seedStart = performance.now();
  const seedCpu = process.cpuUsage();
  const seeded = await admin('POST', '/_fleetwave/fleet/seed', { size: fleetSize });
  const seedMs = performance.now() - seedStart;
  const seedCpuSeconds = cpuSince(seedCpu);
  const rootGroupArn = (seeded.groups as Array<{ thingGroupArn: string }>)[0]!.thingGroupArn;
  console.log(`seeded ${fleetSize} things in ${seconds(seedMs)} s (CPU ${seedCpuSeconds} s)`);
  liveHeap('after seeding');

  const completed = new Promise<void>((resolve) => {
    ep.emulator.events.subscribeTopics((topic) => {
      if (topic === `$aws/events/job/${jobId}/completed`) resolve();
    });
  });

  const createStart = performance.now();
  const createCpu = process.cpuUsage();
  await ep.iot.send(
    new CreateJobCommand({
      jobId,
      targets: [rootGroupArn],
      document: JSON.stringify({ operation: 'firmware-update', version: '2.4.1' }),
      jobExecutionsRolloutConfig: { maximumPerMinute },
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    }),
  );
  const createMs = performance.now() - createStart;
  const createCpuSeconds = cpuSince(createCpu);
  console.log(`CreateJob over ${fleetSize} things in ${seconds(createMs)} s (CPU ${createCpuSeconds} s)`);
  liveHeap('after CreateJob');

  const virtualStart = ep.clock.now();
  const runStart = performance.now();
  const runCpu = process.cpuUsage();
  await admin('PUT', '/_fleetwave/clock/mode', { kind: 'max' });
  let polls = 0;
  const poller = setInterval(() => {
    void ep.iot.send(new DescribeJobCommand({ jobId })).then(({ job }) => {
      polls++;
      const d = job?.jobProcessDetails;
      const virtualMinutes = Math.round((ep.clock.now() - virtualStart) / 60_000);
      console.log(
        `  ${seconds(performance.now() - runStart)} s wall, ${virtualMinutes} virtual min: ` +
          `${d?.numberOfSucceededThings} succeeded, ${d?.numberOfInProgressThings} in progress, ${d?.numberOfQueuedThings} queued`,
      );
    });
  }, 250);
  await completed;
  const runMs = performance.now() - runStart;
  const runCpuSeconds = cpuSince(runCpu);
  clearInterval(poller);
  await admin('PUT', '/_fleetwave/clock/mode', { kind: 'manual' });
  const virtualMinutes = (ep.clock.now() - virtualStart) / 60_000;

  const { job } = await ep.iot.send(new DescribeJobCommand({ jobId }));
  const d = job?.jobProcessDetails ?? {};
  const terminal =
    (d.numberOfSucceededThings ?? 0) +
    (d.numberOfFailedThings ?? 0) +
    (d.numberOfRejectedThings ?? 0) +
    (d.numberOfTimedOutThings ?? 0);
  if (job?.status !== 'COMPLETED' || terminal !== fleetSize) {
    throw new Error(`the job ended ${job?.status} with ${terminal} terminal executions of ${fleetSize}`);
  }
  const totalMs = performance.now() - began;
  const totalCpuSeconds = cpuSince(cpuAtStart);
  const memory = rss.stop();
  liveHeap('after COMPLETED');
  console.log(
    `COMPLETED after ${virtualMinutes.toFixed(1)} virtual minutes in ${seconds(runMs)} s of wall time ` +
      `(${Math.round(fleetSize / (runMs / 1000))} executions/s); ${notifications} notifications ` +
      `(retries included), ${polls} DescribeJob polls; succeeded ${d.numberOfSucceededThings}, failed ` +
      `${d.numberOfFailedThings}, rejected ${d.numberOfRejectedThings}, timed out ${d.numberOfTimedOutThings}; ` +
      `peak RSS ${mib(memory.peakBytes)} MiB (${Math.round(memory.peakBytes / fleetSize)} bytes per thing); ` +
      `whole run ${seconds(totalMs)} s; CPU time: rollout ${runCpuSeconds} s, whole run ${totalCpuSeconds} s`,
  );
  reportResult({
    benchmark: 'fleet',
    description: `SNAPSHOT job, ${thousands} things, maximumPerMinute ${maximumPerMinute}, clock in max mode, until COMPLETED`,
    figures: [
      { name: 'seed fleet (POST /_fleetwave/fleet/seed)', value: seconds(seedMs), unit: 's' },
      { name: `CreateJob (SDK, ${thousands} executions)`, value: seconds(createMs), unit: 's' },
      { name: 'rollout to COMPLETED', value: seconds(runMs), unit: 's' },
      {
        name: 'whole run (start to COMPLETED)',
        value: seconds(totalMs),
        unit: 's',
        goal: '≤ 15 s at 1,000,000 things',
      },
      { name: 'whole run, CPU time (user + system)', value: totalCpuSeconds, unit: 's' },
      { name: 'executions per second (rollout)', value: Math.round(fleetSize / (runMs / 1000)), unit: '/s' },
      { name: 'virtual time covered', value: Math.round(virtualMinutes * 10) / 10, unit: 'min' },
      { name: 'notifications (retries included)', value: notifications, unit: '' },
      { name: 'peak RSS', value: mib(memory.peakBytes), unit: 'MiB', goal: '≤ 1024 MiB at 1,000,000 things' },
      { name: 'peak RSS per thing', value: Math.round(memory.peakBytes / fleetSize), unit: 'B' },
    ],
  });
} finally {
  fleet.close();
  await ep.close();
}
