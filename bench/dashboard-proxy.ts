/**
 * Benchmark: what `fleetwave dashboard` adds to each call the page makes.
 * Against a local stack (in this process, no authoriser), the same
 * `GET /releases?maxResults=25` is sent three ways, in turn:
 *
 * - straight to the API, unsigned (the floor);
 * - straight to the API, signed with SigV4 as the CLI signs;
 * - to the proxy on 127.0.0.1, which signs it and forwards it (what the
 *   dashboard does), over a kept-alive connection as a browser's.
 *
 * Each figure is the median (and 95th percentile) of the runs, in ms.
 * Figures are printed, never asserted.
 *
 *   npx tsx bench/dashboard-proxy.ts [runs]     (or `npm run bench -- dashboard-proxy`; 300 runs by default)
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { httpFetch } from '../cli/api/http-fetch.js';
import { sigV4Fetch } from '../cli/api/sigv4-fetch.js';
import { dashboardProxy } from '../cli/dashboard/proxy.js';
import { startDashboardServer } from '../cli/dashboard/server.js';
import { newSessionToken, sessionCookie } from '../cli/dashboard/session-token.js';
import { startTestStack } from '../test/support/local-stack.js';
import { reportResult } from './support/bench-result.js';

const runs = Number(process.argv[2] ?? 300);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`runs must be a positive integer, got ${process.argv[2]}`);

const stack = await startTestStack({ logLevel: 'ERROR' });
const key = { accessKeyId: 'AKIDBENCHDASHBOARD', secretAccessKey: 'bench-secret' };
const signed = sigV4Fetch(httpFetch, { region: stack.region, credentials: async () => key });
const token = newSessionToken();
const proxy = await startDashboardServer(
  0,
  dashboardProxy({
    apiUrl: stack.apiUrl,
    fetch: signed,
    assets: async () => false,
    userAgent: 'fleetwave-dashboard/bench',
    token,
  }),
  (error) => console.error(error),
);

const path = '/releases?maxResults=25';
const init = () => ({
  method: 'GET',
  headers: { accept: 'application/json' },
  signal: AbortSignal.timeout(30_000),
});

/** The browser's side: one kept-alive connection to the proxy. */
const browser = new Agent({ keepAlive: true, maxSockets: 1 });
function throughProxy(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${proxy.url}${path}`,
      { agent: browser, headers: { accept: 'application/json', cookie: `${sessionCookie}=${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ways: Record<string, () => Promise<number>> = {
  'direct, unsigned': async () => (await httpFetch(new URL(path, stack.apiUrl), init())).status,
  'direct, signed': async () => (await signed(new URL(path, stack.apiUrl), init())).status,
  'through the proxy': throughProxy,
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((name) => [name, []]));

// Warm-up: the handlers' modules, the signer and the connections.
for (const way of Object.values(ways)) await way();
for (let i = 0; i < runs; i++) {
  for (const [name, way] of Object.entries(ways)) {
    const start = performance.now();
    const status = await way();
    times[name]?.push(performance.now() - start);
    if (status !== 200) throw new Error(`${name}: ${status}`);
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const round = (ms: number) => Math.round(ms * 100) / 100;
const figures = Object.entries(times).flatMap(([name, values]) => [
  { name: `${name}: median`, value: round(quantile(values, 0.5)), unit: 'ms' },
  { name: `${name}: p95`, value: round(quantile(values, 0.95)), unit: 'ms' },
]);
for (const figure of figures) console.log(`${figure.name.padEnd(30)} ${figure.value} ms`);
reportResult({
  benchmark: 'dashboard-proxy',
  description: `GET ${path} on a local stack, ${runs} runs each: direct, signed, and through fleetwave dashboard`,
  figures,
});

browser.destroy();
await proxy.close();
await stack.close();
