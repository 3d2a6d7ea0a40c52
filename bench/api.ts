/**
 * Benchmark: the release API under load. `GET /releases/{id}` and
 * `POST /releases` on the local stack, 50 keep-alive connections from a
 * second process (`bench/support/load-generator.ts`), beside references
 * measured in the same run, all in the stack's own process (the handlers,
 * the AWS endpoint and dynalite share its event loop):
 *
 * - a bare `node:http` server answering a fixed JSON body (the same load
 *   generator): what HTTP on loopback costs at all;
 * - the plain SDK loop: the route's own AWS requests
 *   (`bench/support/release-api-calls.ts`, counted on the endpoint: GET is
 *   one Query, POST a Query, the IoT call budget's UpdateItems,
 *   DescribeJobTemplate, DescribeThingGroup, two conditional PutItems and StartExecution) from
 *   50 concurrent loops;
 * - the same requests served by a bare `node:http` server, loaded from the
 *   second process like the API: HTTP in, the requests, JSON out, and no
 *   fleetwave code;
 * - GET's handler invoked in process with an API Gateway event (no HTTP).
 *
 * The API's overhead is read against the loop and against the served loop:
 * the gap between those two is HTTP itself, which the API pays too.
 *
 * POST is measured twice. "Handler" points the release state machine at
 * one whose executions end at once, so the figure is the handler's own work
 * and its requests (the loop's StartExecution goes to the same
 * machine). "Deployed locally" keeps the real workflow: each new release
 * also runs StartRelease, PrepareWave, StartWave and CreateJob in the same
 * process (the clock is manual, so each stops at its first wave's wait).
 *
 * Every load first runs once unreported (up to 3 s): a fresh process runs
 * its first load at about half speed while it compiles and grows its heap.
 *
 *   npx tsx bench/api.ts      (or `npm run bench -- api`)
 */
import { resetConfig } from '../lib/config.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { buildHttpApiEvent, buildLambdaContext } from '../local/http-api/event.js';
import { clientsFor, createTemplate } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';
import {
  figures,
  loadFromChild,
  loadInProcess,
  type MeasuredLoad,
  row,
  startBareServer,
  startCallServer,
} from './support/load.js';
import { releaseApiCalls, releaseBody } from './support/release-api-calls.js';

const CONNECTIONS = 50;
const DURATION_MS = Number(process.env.FLEETWAVE_BENCH_MS ?? 8000);
const TEMPLATE = 'fw-bench';
const GET_ID = 'bench-get';
/** The unreported warm-up pass of each load. */
const WARMUP_MS = Math.min(3000, DURATION_MS);

const stack = await startLocalStack({
  clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } }),
  logLevel: 'ERROR',
  fleet: { size: 10, canaryShare: 0 },
});
const clients = clientsFor(stack);
const calls = releaseApiCalls(stack, TEMPLATE);
const bare = await startBareServer({ releaseId: GET_ID, status: 'IN_PROGRESS', waves: [] });
const servedGet = await startCallServer(async () => JSON.stringify(await calls.getRelease(GET_ID)));
let quietMachine = '';
const servedPost = await startCallServer(async (body) => {
  const { releaseId } = JSON.parse(body) as { releaseId: string };
  await calls.createRelease(releaseId, quietMachine);
  return JSON.stringify({ releaseId });
});

/** Points the handlers' release state machine at `arn` (the configuration is read again). */
const useStateMachine = (arn: string) => {
  process.env.FLEETWAVE_RELEASE_STATE_MACHINE_ARN = arn;
  resetConfig();
};

const results: Record<string, MeasuredLoad> = {};
try {
  await createTemplate(clients, TEMPLATE);
  const created = await fetch(`${stack.apiUrl}/releases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: releaseBody(GET_ID, TEMPLATE),
  });
  if (!created.ok) {
    throw new Error(`POST /releases answered ${created.status}: ${await created.text()}`);
  }
  await stack.workflow.driver.settle();
  quietMachine = await calls.createQuietStateMachine();

  const load = { connections: CONNECTIONS, durationMs: DURATION_MS };
  const loop = { concurrency: CONNECTIONS, durationMs: DURATION_MS };
  const get = { ...load, method: 'GET', path: `/releases/${GET_ID}` } as const;
  const post = (prefix: string) =>
    ({ ...load, method: 'POST', path: '/releases', body: releaseBody(`${prefix}-{n}`, TEMPLATE) }) as const;

  const { handler } = (await import('../functions/api/get-release.js')) as {
    handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
  };
  const invokeGet = async () => {
    const now = Date.now();
    const event = buildHttpApiEvent(
      {
        method: 'GET',
        url: get.path,
        headers: { host: '127.0.0.1' },
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.1',
      },
      {
        routeKey: 'GET /releases/{releaseId}',
        pathParameters: { releaseId: GET_ID },
        timeEpoch: now,
        accountId: stack.accountId,
        apiId: 'local',
      },
      `bench${now}`,
    );
    const context = buildLambdaContext({
      functionName: 'fleetwave-local-getRelease',
      region: stack.region,
      accountId: stack.accountId,
      memorySize: 1024,
      timeoutSeconds: 6,
    });
    const result = await handler(event, context);
    if (result.statusCode !== 200) throw new Error(`GET answered ${result.statusCode}`);
  };

  // A pass of every load, not reported, before the measured one: the first load in a fresh
  // process pays for JIT compilation and heap growth (measured: half the throughput of the
  // same load run again), and would penalise whichever figure happened to come first.
  const warm = { durationMs: WARMUP_MS, warmupMs: 0 };
  await loadFromChild({ ...get, ...warm, url: stack.apiUrl });
  await loadFromChild({ ...get, ...warm, url: servedGet.url });
  await loadInProcess(() => calls.getRelease(GET_ID), { ...loop, ...warm });
  await loadInProcess(invokeGet, { ...loop, ...warm });
  useStateMachine(quietMachine);
  await loadFromChild({ ...post('warm-post'), ...warm, url: stack.apiUrl });
  await loadFromChild({ ...post('warm-served'), ...warm, url: servedPost.url });
  await loadInProcess((n) => calls.createRelease(`warm-loop-${n}`, quietMachine), { ...loop, ...warm });

  results.bare = await loadFromChild({ ...get, url: bare.url });
  results.get = await loadFromChild({ ...get, url: stack.apiUrl });
  results.getServed = await loadFromChild({ ...get, url: servedGet.url });
  results.getLoop = await loadInProcess(() => calls.getRelease(GET_ID), loop);
  results.getInvoked = await loadInProcess(invokeGet, loop);

  const realMachine = stack.stateMachineArn;
  results.post = await loadFromChild({ ...post('bench-post'), url: stack.apiUrl });
  results.postServed = await loadFromChild({ ...post('bench-served'), url: servedPost.url });
  results.postLoop = await loadInProcess((n) => calls.createRelease(`bench-loop-${n}`, quietMachine), loop);
  useStateMachine(realMachine);
  results.postDeployed = await loadFromChild({ ...post('bench-deployed'), url: stack.apiUrl });
  await stack.workflow.driver.settle();
} finally {
  await Promise.all([bare.close(), servedGet.close(), servedPost.close()]);
  calls.destroy();
  clients.destroy();
  await stack.close();
}

type Name =
  | 'bare'
  | 'get'
  | 'getServed'
  | 'getLoop'
  | 'getInvoked'
  | 'post'
  | 'postServed'
  | 'postLoop'
  | 'postDeployed';
const r = results as Required<Record<Name, MeasuredLoad>>;
/** How much slower than the reference, in %: by throughput. */
const over = (x: MeasuredLoad, ref: MeasuredLoad) => (ref.perSecond / x.perSecond - 1) * 100;
const pct = (x: MeasuredLoad, ref: MeasuredLoad) => `${over(x, ref).toFixed(0)} %`;
/** How much more CPU the stack's process spends per request than for the reference, in %. */
const cpuOver = (x: MeasuredLoad, ref: MeasuredLoad) =>
  `${((x.cpuUsPerRequest / ref.cpuUsPerRequest - 1) * 100).toFixed(0)} %`;
const line = (label: string, x: MeasuredLoad) => row([label, ...figures(x), x.cpuUsPerRequest.toFixed(0)]);
console.log(`\n${CONNECTIONS} connections, ${DURATION_MS / 1000} s each, load from a second process:\n`);
console.log(row(['what', 'requests/s', 'p50 ms', 'p99 ms', 'errors', 'CPU µs/request']));
console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
console.log(line('bare node:http, fixed JSON', r.bare));
console.log(line('GET /releases/{id}', r.get));
console.log(line('GET: the Query served by bare node:http', r.getServed));
console.log(line('GET: plain SDK loop, Query (in process)', r.getLoop));
console.log(line('GET: handler invoked in process (no HTTP)', r.getInvoked));
console.log(line('POST /releases, handler (executions end at once)', r.post));
console.log(line('POST: the same requests served by bare node:http', r.postServed));
console.log(line('POST: plain SDK loop, the same requests (in process)', r.postLoop));
console.log(line('POST /releases, deployed locally (workflow runs)', r.postDeployed));
console.log(
  `\nGET: ${(r.get.perSecond / r.bare.perSecond).toFixed(3)} × bare http; over the SDK loop ${pct(r.get, r.getLoop)}, over the served SDK calls ${pct(r.get, r.getServed)} (goal ≤ 25 %); handler without HTTP over the loop ${pct(r.getInvoked, r.getLoop)}; CPU per request over the loop ${cpuOver(r.get, r.getLoop)}, over the served calls ${cpuOver(r.get, r.getServed)}; p99 ${r.get.p99Ms.toFixed(1)} ms (goal < 50 ms)`,
);
console.log(
  `POST (handler): over the SDK loop ${pct(r.post, r.postLoop)}, over the served SDK calls ${pct(r.post, r.postServed)} (goal ≤ 25 %); CPU per request over the loop ${cpuOver(r.post, r.postLoop)}, over the served calls ${cpuOver(r.post, r.postServed)}; p99 ${r.post.p99Ms.toFixed(1)} ms (goal < 50 ms)`,
);
console.log(
  `POST (deployed locally, workflow runs): ${r.postDeployed.perSecond.toFixed(0)}/s, ${(r.postDeployed.perSecond / r.post.perSecond).toFixed(2)} × the handler alone; p99 ${r.postDeployed.p99Ms.toFixed(1)} ms`,
);

const set = (label: string, x: MeasuredLoad) => [
  { name: `${label}: requests/s`, value: Math.round(x.perSecond), unit: '/s' },
  { name: `${label}: p50`, value: Number(x.p50Ms.toFixed(2)), unit: 'ms' },
  { name: `${label}: p99`, value: Number(x.p99Ms.toFixed(2)), unit: 'ms' },
  { name: `${label}: CPU per request`, value: Math.round(x.cpuUsPerRequest), unit: 'µs' },
];
const overFigure = (name: string, x: MeasuredLoad, ref: MeasuredLoad) => ({
  name,
  value: Math.round(over(x, ref)),
  unit: '%',
  goal: '≤ 25 %',
});
reportResult({
  benchmark: 'api',
  description: `Release API under ${CONNECTIONS} connections from a second process, beside a bare node:http server, a plain SDK loop of the same requests, and the same requests served by bare node:http`,
  figures: [
    ...set('bare node:http', r.bare),
    ...set('GET /releases/{id}', r.get),
    ...set('GET, served SDK calls', r.getServed),
    ...set('GET, SDK loop', r.getLoop),
    ...set('GET, handler invoked in process', r.getInvoked),
    ...set('POST /releases, handler', r.post),
    ...set('POST, served SDK calls', r.postServed),
    ...set('POST, SDK loop', r.postLoop),
    ...set('POST /releases, deployed locally', r.postDeployed),
    overFigure('GET over the SDK loop (throughput)', r.get, r.getLoop),
    overFigure('GET over the served SDK calls (throughput)', r.get, r.getServed),
    overFigure('POST over the SDK loop (throughput)', r.post, r.postLoop),
    overFigure('POST over the served SDK calls (throughput)', r.post, r.postServed),
    { name: 'GET p99 at 50 connections', value: Number(r.get.p99Ms.toFixed(1)), unit: 'ms', goal: '< 50 ms' },
    {
      name: 'POST (handler) p99 at 50 connections',
      value: Number(r.post.p99Ms.toFixed(1)),
      unit: 'ms',
      goal: '< 50 ms',
    },
  ],
});
