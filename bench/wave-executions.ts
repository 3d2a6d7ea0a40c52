/**
 * Benchmark: what a dashboard's reads of a wave cost on the local stack.
 * A 200-thing wave whose devices fail half the time (each failure with its
 * `statusDetails`) runs to its end; then, each read 20 times, median time:
 *
 * - `GET .../waves/1/executions` at 25 and 100 a page: one
 *   ListJobExecutionsForJob plus one DescribeJobExecution per execution,
 *   five at a time (the local IoT endpoint does not throttle here; on AWS,
 *   IoT's 10 DescribeJobExecution calls a second bound a page of 100 to
 *   about ten seconds);
 * - `GET .../failure-reasons`: the sample of 100 failing executions described;
 * - `GET /releases/{id}` answered in full, and answered 304 to its own ETag
 *   (bytes on the wire for each).
 *
 *   npx tsx bench/wave-executions.ts      (or `npm run bench -- wave-executions`)
 */
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { fixedProfile } from '../test/support/fleet.js';
import { clientsFor, createTemplate, runUntilRead } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';

const RUNS = 20;
const THINGS = 200;

const stack = await startLocalStack({
  clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } }),
  logLevel: 'ERROR',
  fleet: { size: THINGS, canaryShare: 0 },
  profiles: fixedProfile({ outcomes: { fail: 0.5 }, startSeconds: 5, runSeconds: 30 }),
});
const clients = clientsFor(stack);

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(stack.apiUrl + path, { headers });
  const text = await res.text();
  if (res.status !== 200 && res.status !== 304) throw new Error(`${path}: ${res.status} ${text}`);
  return { status: res.status, bytes: Buffer.byteLength(text), etag: res.headers.get('etag') ?? '' };
}

/** Median milliseconds of `RUNS` calls of `read`. */
async function median(read: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(RUNS / 2)] ?? 0) * 10) / 10;
}

try {
  await createTemplate(clients, 'fw-2-0');
  const id = 'bench-failing';
  const created = await fetch(`${stack.apiUrl}/releases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      releaseId: id,
      jobTemplateId: 'fw-2-0',
      waves: [
        { targets: { thingGroups: ['fleet'] }, failureThresholdPercent: 100, successThresholdPercent: 0 },
      ],
    }),
  });
  if (created.status !== 202) throw new Error(`POST /releases: ${created.status} ${await created.text()}`);
  await runUntilRead(
    stack,
    async () =>
      (await (await fetch(`${stack.apiUrl}/releases/${id}`)).json()) as { release: { status: string } },
    (view) => ['SUCCEEDED', 'FAILED'].includes(view.release.status),
    'the wave ended',
  );

  const page25 = await median(() => get(`/releases/${id}/waves/1/executions?maxResults=25`));
  const page100 = await median(() => get(`/releases/${id}/waves/1/executions?maxResults=100`));
  const reasons = await median(() => get(`/releases/${id}/failure-reasons`));
  const full = await get(`/releases/${id}`);
  const fullMs = await median(() => get(`/releases/${id}`));
  const notModified = await get(`/releases/${id}`, { 'if-none-match': full.etag });
  const notModifiedMs = await median(() => get(`/releases/${id}`, { 'if-none-match': full.etag }));
  if (notModified.status !== 304) throw new Error(`If-None-Match answered ${notModified.status}`);

  console.log(`executions, 25 a page:   ${page25} ms`);
  console.log(`executions, 100 a page:  ${page100} ms`);
  console.log(`failure reasons:         ${reasons} ms`);
  console.log(`GET release, 200:        ${fullMs} ms, ${full.bytes} bytes of body`);
  console.log(`GET release, 304:        ${notModifiedMs} ms, ${notModified.bytes} bytes of body`);
  reportResult({
    benchmark: 'wave-executions',
    description: `a ${THINGS}-thing wave, half failed; median of ${RUNS} reads on the local stack`,
    figures: [
      { name: 'executions page of 25 (ms)', value: page25, unit: 'ms' },
      { name: 'executions page of 100 (ms)', value: page100, unit: 'ms' },
      { name: 'failure reasons, 100 sampled (ms)', value: reasons, unit: 'ms' },
      { name: 'GET release 200 (ms)', value: fullMs, unit: 'ms' },
      { name: 'GET release 200 body', value: full.bytes, unit: 'bytes' },
      { name: 'GET release 304 (ms)', value: notModifiedMs, unit: 'ms' },
    ],
  });
} finally {
  clients.destroy();
  await stack.close();
}
