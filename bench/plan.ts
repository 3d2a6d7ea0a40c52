/**
 * Benchmark: what planning a release of a large fleet costs
 * (`POST /releases?dryRun=true`). The plan checks the template and the named
 * group (one DescribeJobTemplate, one DescribeThingGroup), then reads the
 * fleet once (ListThingsInThingGroup, 250 things a page) and splits it into
 * the cohorts of its percentage waves, once for all of them. This measures
 * the request's wall time on the local stack and counts the IoT calls it
 * made, for two releases over the same fleet (four waves, and fifty waves
 * of 2 % each, where splitting the fleet per wave would cost fifty times
 * over); it also prints what the plan estimates for each.
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
/** The releases planned: the same fleet in few and in many waves. */
const SHAPES = [
  { label: '4 waves', waves: [1, 10, 50, 100] },
  { label: '50 waves', waves: Array.from({ length: 50 }, (_, i) => (i + 1) * 2) },
].map(({ label, waves }) => ({
  label,
  body: JSON.stringify({
    releaseId: 'bench-plan',
    jobTemplateId: TEMPLATE,
    targets: { thingGroups: ['fleet'] },
    waves: waves.map((percentage) => ({ percentage })),
  }),
}));

/** One plan: its wall time and answer. */
async function planOnce(body: string): Promise<{ ms: number; plan: ReleasePlan }> {
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

/** The median wall time of {@link RUNS} plans of `body`, the IoT calls of one, and the last answer. */
async function measure(body: string) {
  const counter = countIotCallsPerSecond(stack, OPERATIONS);
  const times: number[] = [];
  let last: ReleasePlan | undefined;
  for (let run = 0; run < RUNS; run++) {
    const { ms, plan } = await planOnce(body);
    times.push(ms);
    last = plan;
  }
  counter.stop();
  times.sort((a, b) => a - b);
  const median = Math.round(times[Math.floor(times.length / 2)] ?? Number.NaN);
  const perPlan = (op: string) => counter.total(op) / RUNS;
  return { median, perPlan, estimate: last?.estimate };
}

try {
  await createTemplate(clients, TEMPLATE);
  await planOnce(SHAPES[0]?.body ?? ''); // warm: the handler's first load
  const figures = [];
  for (const shape of SHAPES) {
    const { median, perPlan, estimate } = await measure(shape.body);
    const calls = OPERATIONS.map((op) => `${op} ${perPlan(op)}`).join(', ');
    console.log(
      `plan of a release over ${THINGS} things (${shape.label}): ${median} ms; IoT calls per plan: ${calls}`,
    );
    console.log(
      `its estimate: ${estimate?.durationMinutes.min}-${estimate?.durationMinutes.max} min, ${estimate?.stepFunctions.transitions.min}-${estimate?.stepFunctions.transitions.max} transitions, AddThingToThingGroup ${estimate?.iotCalls.AddThingToThingGroup?.max}`,
    );
    figures.push(
      { name: `plan wall time, ${shape.label}`, value: median, unit: 'ms' },
      {
        name: `IoT calls per plan, ${shape.label}`,
        value: OPERATIONS.reduce((sum, op) => sum + perPlan(op), 0),
        unit: 'calls',
      },
      {
        name: `of which ListThingsInThingGroup, ${shape.label}`,
        value: perPlan('ListThingsInThingGroup'),
        unit: 'calls',
      },
    );
  }
  reportResult({
    benchmark: 'plan',
    description: `POST /releases?dryRun=true on the local stack over a fleet of ${THINGS} things in one group, in 4 and in 50 percentage waves, median of ${RUNS}`,
    figures,
  });
} finally {
  clients.destroy();
  await stack.close();
}
