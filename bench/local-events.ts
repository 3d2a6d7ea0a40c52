/**
 * Benchmark: what reading the local stack's recorded events costs, with the
 * log full (1000 events, the local EventBridge's bound). Over HTTP on
 * loopback, as `fleetwave events tail` and the dashboard's events panel read
 * them: the newest page (50), a page filtered to a rare detail type (the
 * whole log scanned), and every page of 100 from newest to oldest. Each
 * figure is the median of 50 runs.
 *
 *   npx tsx bench/local-events.ts      (or `npm run bench -- local-events`)
 */
import { performance } from 'node:perf_hooks';
import { closeServer, listen } from '../local/aws-endpoint/listen.js';
import { createAwsEndpoint } from '../local/aws-endpoint/router.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { createEventBridgeService, eventBridgeAdminRoutes } from '../local/eventbridge/index.js';
import { createIotEmulator } from '../local/iot/index.js';
import { reportResult } from './support/bench-result.js';

const RUNS = 50;
const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
const events = createEventBridgeService({ clock });
const iot = createIotEmulator({ clock });
for (const route of eventBridgeAdminRoutes(events)) iot.addAdminRoute(...route);
const server = createAwsEndpoint([iot, events]);
const port = await listen(server, 0, '127.0.0.1');
const url = `http://127.0.0.1:${port}/_fleetwave/events`;

for (let i = 0; i < 1000; i++) {
  const detailType = i % 100 === 0 ? 'Release Failed' : 'Wave Started';
  events.putEvents({
    Entries: [{ Source: 'fleetwave', DetailType: detailType, Detail: JSON.stringify({ i }) }],
  });
}

async function get(query: string): Promise<{ nextToken?: string }> {
  const res = await fetch(`${url}${query}`);
  return (await res.json()) as { nextToken?: string };
}

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Number((times[Math.floor(RUNS / 2)] as number).toFixed(2));
}

try {
  await get(''); // warm up the connection and the JIT
  const newest = await median(() => get(''));
  const filtered = await median(() => get('?detail-type=Release%20Failed'));
  const allPages = await median(async () => {
    let token: string | undefined;
    do token = (await get(`?maxResults=100${token ? `&nextToken=${token}` : ''}`)).nextToken;
    while (token !== undefined);
  });
  console.log(`newest page of 50: ${newest} ms; filtered: ${filtered} ms; 10 pages of 100: ${allPages} ms`);
  reportResult({
    benchmark: 'local-events',
    description: 'GET /_fleetwave/events over loopback with 1000 events recorded (median of 50)',
    figures: [
      { name: 'newest page of 50', value: newest, unit: 'ms' },
      { name: 'page filtered by detail-type', value: filtered, unit: 'ms' },
      { name: 'every page of 100, newest to oldest', value: allPages, unit: 'ms' },
    ],
  });
} finally {
  clock.stop();
  await closeServer(server);
}
