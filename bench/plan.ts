/**
 * Benchmark: what planning a release of a large fleet costs
 * (`POST /releases?dryRun=true`). The plan checks the template and the named
 * group (one DescribeJobTemplate, one DescribeThingGroup), then reads the
 * fleet once (ListThingsInThingGroup, 250 things a page) and splits it into
 * the cohorts of four percentage waves. This measures the request's wall
 * time on the local stack and counts the IoT calls it made; it also prints
 * what the plan estimates for that release.
 *
 *   npx tsx bench/plan.ts                 (or `npm run bench -- plan`)
 *   FLEETWAVE_BENCH_PLAN_THINGS=200000 npx tsx bench/plan.ts
 */
import type { ReleasePlan } from '../lib/domain/release-plan.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { countIotCallsPerSecond } from '../test/support/iot-calls-per-second.js';
import { clientsFor, createTemplate } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';

const TEMPLATE = 'fw-bench';
const THINGS = Number(process.env.FLEETWAVE_BENCH_PLAN_THINGS ?? 50_000);
const RUNS = Number(process.env.FLEETWAVE_BENCH_RUNS ?? 5);
const OPERATIONS = ['DescribeJobTemplate', 'DescribeThingGroup', 'DescribeThing', 'ListThingsInThingGroup'];

const stack = await startLocalStack({
  clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } }),
  logLevel: 'ERROR',
  fleet: { size: THINGS, canaryShare: 0 },
});
const clients = clientsFor(stack);
const body = JSON.stringify({
  releaseId: 'bench-plan',
  jobTemplateId: TEMPLATE,
  targets: { thingGroups: ['fleet'] },
  waves: [{ percentage: 1 }, { percentage: 10 }, { percentage: 50 }, { percentage: 100 }],
});

/** One plan: its wall time and answer. */
async function planOnce(): Promise<{ ms: number; plan: ReleasePlan }> {
  const started = performance.now();
  const res = await fetch(`${stack.apiUrl}/releases?dryRun=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const ms = performance.now() - started;
  if (res.status !== 200)
    throw new Error(`POST /releases?dryRun=true answered ${res.status}: ${await res.text()}`);
  return { ms, plan: (await res.json()) as ReleasePlan };
}

try {
  await createTemplate(clients, TEMPLATE);
  await planOnce(); // warm: the handler's first load
  const counter = countIotCallsPerSecond(stack, OPERATIONS);
  const times: number[] = [];
  let last: ReleasePlan | undefined;
  for (let run = 0; run < RUNS; run++) {
    const { ms, plan } = await planOnce();
    times.push(ms);
    last = plan;
  }
  counter.stop();
  times.sort((a, b) => a - b);
  const median = Math.round(times[Math.floor(times.length / 2)] ?? Number.NaN);
  const perPlan = (op: string) => counter.total(op) / RUNS;
  const calls = OPERATIONS.map((op) => `${op} ${perPlan(op)}`).join(', ');
  const planned = last?.estimate;
  console.log(
    `plan of a release over ${THINGS} things (4 waves): ${median} ms; IoT calls per plan: ${calls}`,
  );
  console.log(
    `its estimate: ${planned?.durationMinutes.min}-${planned?.durationMinutes.max} min, ${planned?.stepFunctions.transitions.min}-${planned?.stepFunctions.transitions.max} transitions, AddThingToThingGroup ${planned?.iotCalls.AddThingToThingGroup?.max}`,
  );
  reportResult({
    benchmark: 'plan',
    description: `POST /releases?dryRun=true on the local stack over a fleet of ${THINGS} things in one group, 4 percentage waves, median of ${RUNS}`,
    figures: [
      { name: 'plan wall time', value: median, unit: 'ms' },
      {
        name: 'IoT calls per plan',
        value: OPERATIONS.reduce((sum, op) => sum + perPlan(op), 0),
        unit: 'calls',
      },
      { name: 'of which ListThingsInThingGroup', value: perPlan('ListThingsInThingGroup'), unit: 'calls' },
    ],
  });
} finally {
  clients.destroy();
  await stack.close();
}
