/**
 * Benchmark: what checking a release's targets costs `POST /releases`.
 * Every thing group and thing a release names is looked up in IoT
 * (DescribeThingGroup, DescribeThing: one call per distinct name, 8 in
 * flight, each counted in the IoT call budget) before it is stored. This
 * measures the POST on the local stack for a release naming one group, 100
 * things and 1,000 things (the most `targets.things` allows), with the
 * release state machine pointed at one whose executions end at once, so the
 * figure is the API's own work. The local IoT answers in microseconds; on
 * AWS each look-up takes a round trip (tens of ms), so there the check of
 * 1,000 things costs about 1,000 / 8 round trips.
 *
 *   npx tsx bench/target-check.ts      (or `npm run bench -- target-check`)
 */
import { IotThingGroups } from '../lib/adapters/iot-thing-groups.js';
import { resetConfig } from '../lib/config.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { clientsFor, createTemplate } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';
import { releaseApiCalls } from './support/release-api-calls.js';

const TEMPLATE = 'fw-bench';
const RUNS = Number(process.env.FLEETWAVE_BENCH_RUNS ?? 7);

const stack = await startLocalStack({
  clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } }),
  logLevel: 'ERROR',
  fleet: { size: 1000, canaryShare: 0 },
});
const clients = clientsFor(stack);
const calls = releaseApiCalls(stack, TEMPLATE);

/** Median wall time of `RUNS` POSTs of the release `targets` names (after one unmeasured). */
async function medianPostMs(label: string, targets: Record<string, string[]>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const body = JSON.stringify({
      releaseId: `${label}-${run}`,
      jobTemplateId: TEMPLATE,
      targets,
      waves: [{ percentage: 100 }],
    });
    const started = performance.now();
    const res = await fetch(`${stack.apiUrl}/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const elapsed = performance.now() - started;
    if (res.status !== 202) throw new Error(`POST /releases answered ${res.status}: ${await res.text()}`);
    if (run > 0) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] ?? Number.NaN);
}

try {
  await createTemplate(clients, TEMPLATE);
  process.env.FLEETWAVE_RELEASE_STATE_MACHINE_ARN = await calls.createQuietStateMachine();
  resetConfig();
  const groups = new IotThingGroups(clients.iot, { throttleRetryAfterSeconds: 1 });
  const things = await groups.listThings('fleet', { recursive: true });
  if (things.length < 1000) throw new Error(`the fleet has ${things.length} things, not 1000`);
  const oneGroup = await medianPostMs('group', { thingGroups: ['fleet'] });
  const hundred = await medianPostMs('things-100', { things: things.slice(0, 100) });
  const thousand = await medianPostMs('things-1000', { things: things.slice(0, 1000) });
  console.log(
    `POST /releases naming 1 group: ${oneGroup} ms; 100 things: ${hundred} ms; 1000 things: ${thousand} ms`,
  );
  reportResult({
    benchmark: 'target-check',
    description: `POST /releases on the local stack, median of ${RUNS}, by the number of targets looked up (one IoT call each)`,
    figures: [
      { name: 'POST naming 1 thing group (1 look-up)', value: oneGroup, unit: 'ms' },
      { name: 'POST naming 100 things (100 look-ups)', value: hundred, unit: 'ms' },
      { name: 'POST naming 1,000 things (1,000 look-ups)', value: thousand, unit: 'ms' },
    ],
  });
} finally {
  calls.destroy();
  clients.destroy();
  await stack.close();
}
