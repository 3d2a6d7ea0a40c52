/**
 * Benchmark: 200 releases at once on a 20,000-thing fleet, as fast as the
 * machine goes (clock in max mode). Each release has one wave of its own
 * 100 things (explicit targets), so the 200 jobs cover the fleet once.
 * IoT answers ThrottlingException past `FLEETWAVE_BENCH_IOT_RPS` requests
 * per virtual second per API (default 10, as AWS's jobs APIs), and
 * fleetwave's IoT call budget is set to the same rate
 * (`FLEETWAVE_BENCH_BUDGET`, a number or `off`).
 *
 * Prints the wall time until every execution closed, peak memory, the IoT
 * calls per virtual second at the peak against the budget, the tasks that
 * failed on a throttle, how long releases waited for their turn, and how
 * many releases failed or were stuck (none may be).
 *
 *   npx tsx bench/concurrency.ts      (or `npm run bench -- concurrency`)
 *   FLEETWAVE_BENCH_BUDGET=off npx tsx bench/concurrency.ts    (no budget: the throttling storm)
 */
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { countIotCallsPerSecond } from '../test/support/iot-calls-per-second.js';
import { clientsFor, createTemplate, type StackClients, startRelease } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';
import { row } from './support/load.js';
import { startRssSampler } from './support/rss-sampler.js';

const RELEASES = 200;
const FLEET = 20_000;
const PER_RELEASE = FLEET / RELEASES;
const IOT_RPS = Number(process.env.FLEETWAVE_BENCH_IOT_RPS ?? 10);
const BUDGET_SETTING = process.env.FLEETWAVE_BENCH_BUDGET ?? String(IOT_RPS || 10);
/** `off`: no budget, every call sent at once, as fleetwave did before it had one. */
const BUDGET = BUDGET_SETTING === 'off' ? undefined : Number(BUDGET_SETTING);
/** Wall time after which a release still running counts as stuck. */
const STUCK_AFTER_MS = 10 * 60_000;
const WATCHED = ['CreateJob', 'DescribeJob', 'DescribeJobTemplate', 'CancelJob'] as const;

/** Every event of an execution's history (paged). */
async function historyOf(clients: StackClients, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const rss = startRssSampler();
const began = performance.now();
const t0 = Date.UTC(2026, 0, 1);
const clock = new VirtualClock({ start: t0, mode: { kind: 'manual' } });
const stack = await startLocalStack({
  clock,
  logLevel: 'ERROR',
  fleet: { size: FLEET, canaryShare: 0 },
  ...(IOT_RPS > 0 && { iotLimits: { requestsPerSecond: IOT_RPS } }),
  iotCallsPerSecond: BUDGET ?? 'off',
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

let outcome: {
  statuses: Map<string, number>;
  stuck: number;
  wallMs: number;
  virtualMin: number;
  throttledTasks: number;
  pacedWaits: number;
  turnSeconds: number[];
};
const calls = countIotCallsPerSecond(stack, WATCHED);
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
  const startedAt = clock.now();
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
  const wallMs = performance.now() - started;
  calls.stop();
  const histories = await Promise.all(executions.map((e) => historyOf(clients, e.executionArn)));
  const events = histories.flat();
  const waves = await Promise.all(executions.map((e) => clients.repository.getRelease(e.releaseId)));
  outcome = {
    statuses,
    stuck,
    wallMs,
    virtualMin: (clock.now() - t0) / 60_000,
    throttledTasks: events.filter(
      (e) => e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === 'ThrottledError',
    ).length,
    pacedWaits: events.filter(
      (e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name?.startsWith('Pace'),
    ).length,
    // How long each release waited from its start to its wave's job: its turn in the queue.
    turnSeconds: waves
      .map((w) => (Date.parse(String(w.waves[0]?.startedAt)) - startedAt) / 1000)
      .sort((a, b) => a - b),
  };
} finally {
  calls.stop();
  clients.destroy();
  await stack.close();
}
const memory = rss.stop();

const succeeded = outcome.statuses.get('SUCCEEDED') ?? 0;
const failed = RELEASES - succeeded - outcome.stuck;
const wallSeconds = outcome.wallMs / 1000;
const factor = (outcome.virtualMin * 60) / wallSeconds;
const budgetText = BUDGET === undefined ? 'off' : `${BUDGET} calls per second per API`;
const turn = { median: percentile(outcome.turnSeconds, 50), max: percentile(outcome.turnSeconds, 100) };
console.log(
  `\n${RELEASES} releases of ${PER_RELEASE} things each on a ${FLEET}-thing fleet, clock in max mode, IoT limited to ${IOT_RPS > 0 ? `${IOT_RPS} requests per virtual second per API` : 'nothing'}, fleetwave's IoT call budget ${budgetText}:\n`,
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
      `${op}: peak calls per virtual second`,
      `${calls.peak(op)} (IoT's limit ${IOT_RPS || '∞'}, budget ${BUDGET ?? 'off'})`,
    ]),
  );
  console.log(row([`${op}: calls in all`, String(calls.total(op))]));
}
console.log(row(['tasks failed on a throttle (ThrottledError)', String(outcome.throttledTasks)]));
console.log(row(['waits for a budget slot (Pace states entered)', String(outcome.pacedWaits)]));
console.log(
  row([
    "release start → its wave's job: median / slowest (virtual)",
    `${turn.median.toFixed(0)} s / ${turn.max.toFixed(0)} s`,
  ]),
);
console.log(row(['releases SUCCEEDED', String(succeeded)]));
console.log(row(['releases failed', String(failed)]));
console.log(row(['releases stuck (not closed after 10 min of wall time)', String(outcome.stuck)]));

const withinBudget = BUDGET === undefined ? '' : `≤ ${BUDGET}`;
reportResult({
  benchmark: 'concurrency',
  description: `${RELEASES} releases at once on a ${FLEET}-thing fleet (one ${PER_RELEASE}-thing wave each), clock in max mode, IoT at ${IOT_RPS || 'unlimited'} requests per virtual second per API, IoT call budget ${budgetText}`,
  figures: [
    { name: 'start to every execution closed (wall)', value: Number(wallSeconds.toFixed(1)), unit: 's' },
    { name: 'virtual time covered', value: Number(outcome.virtualMin.toFixed(1)), unit: 'min' },
    { name: 'peak RSS', value: Number((memory.peakBytes / 2 ** 20).toFixed(0)), unit: 'MiB' },
    ...WATCHED.map((op) => ({
      name: `${op}: peak calls per virtual second (calls in all: ${calls.total(op)})`,
      value: calls.peak(op),
      unit: '/s',
      goal: withinBudget,
    })),
    { name: 'tasks failed on a throttle', value: outcome.throttledTasks, unit: '', goal: '0' },
    { name: 'waits for a budget slot', value: outcome.pacedWaits, unit: '' },
    { name: "release start → its wave's job, median", value: Number(turn.median.toFixed(0)), unit: 's' },
    { name: "release start → its wave's job, slowest", value: Number(turn.max.toFixed(0)), unit: 's' },
    { name: 'releases SUCCEEDED', value: succeeded, unit: '', goal: `${RELEASES}` },
    { name: 'releases failed', value: failed, unit: '', goal: '0' },
    { name: 'releases stuck', value: outcome.stuck, unit: '', goal: '0' },
  ],
});
