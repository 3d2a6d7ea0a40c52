/**
 * Benchmark: 200 releases at once on a 20,000-thing fleet, as fast as the
 * machine goes (clock in max mode). Each release has one wave of its own
 * 100 things (explicit targets), so the 200 jobs cover the fleet once.
 * IoT answers ThrottlingException past `FLEETWAVE_BENCH_IOT_RPS` requests
 * per virtual second per API (default 10, as AWS's jobs APIs), and the
 * workflow retries throttles with backoff and full jitter.
 *
 * Prints the wall time until every execution closed, peak memory, the IoT
 * calls per virtual second at the peak against that budget, and how many
 * releases failed or were stuck (none may be).
 *
 *   npx tsx bench/concurrency.ts      (or `npm run bench -- concurrency`)
 */
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/stack.js';
import { clientsFor, createTemplate, startRelease } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';
import { row } from './support/load.js';
import { startRssSampler } from './support/rss-sampler.js';

const RELEASES = 200;
const FLEET = 20_000;
const PER_RELEASE = FLEET / RELEASES;
const IOT_RPS = Number(process.env.FLEETWAVE_BENCH_IOT_RPS ?? 10);
/** Wall time after which a release still running counts as stuck. */
const STUCK_AFTER_MS = 10 * 60_000;
const WATCHED = ['CreateJob', 'DescribeJob', 'DescribeJobTemplate', 'CancelJob'] as const;

const rss = startRssSampler();
const began = performance.now();
const t0 = Date.UTC(2026, 0, 1);
const clock = new VirtualClock({ start: t0, mode: { kind: 'manual' } });
const stack = await startLocalStack({
  clock,
  logLevel: 'ERROR',
  fleet: { size: FLEET, canaryShare: 0 },
  ...(IOT_RPS > 0 && { iotLimits: { requestsPerSecond: IOT_RPS } }),
  profiles: {
    default: {
      outcomes: {},
      startLatency: { medianSeconds: 10, spread: 0.3 },
      runLatency: { medianSeconds: 300, spread: 0.3 },
    },
  },
});
const clients = clientsFor(stack);
const seededMs = performance.now() - began;

// Faults that never fire count the calls reaching each API; a virtual-second timer buckets them.
const counters = WATCHED.map((operation) => ({
  operation,
  id: stack.iot.faults.add({ operation, error: 'ThrottlingException', rate: 0 }).id,
}));
const matched = (id: string) => stack.iot.faults.list().find((f) => f.id === id)?.matched ?? 0;
const peaks = new Map<string, number>(WATCHED.map((op) => [op, 0]));
let last = new Map(counters.map((c) => [c.operation, 0]));
let sampling = true;
const sample = () => {
  if (!sampling) return;
  const now = new Map(counters.map((c) => [c.operation, matched(c.id)]));
  for (const [op, n] of now) peaks.set(op, Math.max(peaks.get(op) ?? 0, n - (last.get(op) ?? 0)));
  last = now;
  clock.schedule(clock.now() + 1000, sample);
};

let outcome: { statuses: Map<string, number>; stuck: number; wallMs: number; virtualMin: number };
try {
  await createTemplate(clients, 'fw-bench');
  const things = [...stack.iot.registry.things.thingList.values()].map((t) => t.thingName).sort();
  if (things.length !== FLEET) throw new Error(`seeded ${things.length} things, not ${FLEET}`);
  const started = performance.now();
  const executions = await Promise.all(
    Array.from({ length: RELEASES }, (_, i) =>
      startRelease(stack, clients, {
        releaseId: `load-${String(i).padStart(3, '0')}`,
        jobTemplateId: 'fw-bench',
        waves: [{ targets: { things: things.slice(i * PER_RELEASE, (i + 1) * PER_RELEASE) } }],
      }),
    ),
  );
  sample();
  clock.setMode({ kind: 'max' });
  const statuses = new Map<string, number>();
  let stuck = 0;
  const giveUp = new Promise<'stuck'>((resolve) =>
    setTimeout(() => resolve('stuck'), STUCK_AFTER_MS).unref(),
  );
  await Promise.all(
    executions.map(async ({ executionArn }) => {
      const status = await Promise.race([stack.sfn.whenExecutionClosed(executionArn), giveUp]);
      if (status === 'stuck') stuck++;
      else statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }),
  );
  sampling = false;
  outcome = {
    statuses,
    stuck,
    wallMs: performance.now() - started,
    virtualMin: (clock.now() - t0) / 60_000,
  };
} finally {
  sampling = false;
  clients.destroy();
  await stack.close();
}
const memory = rss.stop();

const succeeded = outcome.statuses.get('SUCCEEDED') ?? 0;
const failed = RELEASES - succeeded - outcome.stuck;
const wallSeconds = outcome.wallMs / 1000;
const factor = (outcome.virtualMin * 60) / wallSeconds;
console.log(
  `\n${RELEASES} releases of ${PER_RELEASE} things each on a ${FLEET}-thing fleet, clock in max mode, IoT limited to ${IOT_RPS > 0 ? `${IOT_RPS} requests per virtual second per API` : 'nothing'}:\n`,
);
console.log(row(['figure', 'value']));
console.log(row(['---', '---:']));
console.log(row(['start the stack and seed the fleet (wall)', `${(seededMs / 1000).toFixed(1)} s`]));
console.log(row(['start to every execution closed (wall)', `${wallSeconds.toFixed(1)} s`]));
console.log(row(['virtual time covered', `${outcome.virtualMin.toFixed(1)} min`]));
console.log(row(['time factor (virtual / wall)', `${factor.toFixed(0)} ×`]));
console.log(row(['peak RSS', `${(memory.peakBytes / 2 ** 20).toFixed(0)} MiB`]));
for (const op of WATCHED) {
  console.log(
    row([
      `${op}: peak calls per virtual second, throttled ones included`,
      `${peaks.get(op)} (budget ${IOT_RPS || '∞'})`,
    ]),
  );
  console.log(row([`${op}: calls in all`, String(last.get(op) ?? 0)]));
}
console.log(row(['releases SUCCEEDED', String(succeeded)]));
console.log(row(['releases failed', String(failed)]));
console.log(row(['releases stuck (not closed after 10 min of wall time)', String(outcome.stuck)]));

reportResult({
  benchmark: 'concurrency',
  description: `${RELEASES} releases at once on a ${FLEET}-thing fleet (one ${PER_RELEASE}-thing wave each), clock in max mode, IoT at ${IOT_RPS || 'unlimited'} requests per virtual second per API`,
  figures: [
    { name: 'start to every execution closed (wall)', value: Number(wallSeconds.toFixed(1)), unit: 's' },
    { name: 'virtual time covered', value: Number(outcome.virtualMin.toFixed(1)), unit: 'min' },
    { name: 'peak RSS', value: Number((memory.peakBytes / 2 ** 20).toFixed(0)), unit: 'MiB' },
    ...WATCHED.map((op) => ({
      name: `${op}: peak calls per virtual second`,
      value: peaks.get(op) ?? 0,
      unit: '/s',
      goal: IOT_RPS > 0 ? `≤ ${IOT_RPS} accepted` : '',
    })),
    { name: 'releases SUCCEEDED', value: succeeded, unit: '', goal: `${RELEASES}` },
    { name: 'releases failed', value: failed, unit: '', goal: '0' },
    { name: 'releases stuck', value: outcome.stuck, unit: '', goal: '0' },
  ],
});
