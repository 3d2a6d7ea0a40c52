/**
 * Benchmark: how fast the `fleetwave` command starts, beside `node -e 0`
 * (Node's own start, the floor of any Node tool) measured in the same run.
 * Each command runs as a user runs it, in a fresh process, to its exit:
 *
 * - `fleetwave --version` and `fleetwave releases list` through package.json
 *   `bin` (`cli/bin/fleetwave.mjs`, which runs the bundle `dist/fleetwave.mjs`);
 *   the listing against a local stack started with `fleetwave local` in a
 *   process of its own, holding a few releases. Goal: each within 3× of
 *   `node -e 0`;
 * - the bundle run directly (what the launcher in front of it costs);
 * - `npx fleetwave --version`, beside `npx --version` (npm's own start);
 * - the TypeScript sources through tsx, as every call ran before the bundle.
 *
 * The bundle is built first, from the current sources, as `npm install` does.
 * Runs go round the commands in turn, so a burst of load on the shared
 * machine touches every command alike; each figure is the median of the runs.
 * Figures are printed, never asserted.
 *
 *   npx tsx bench/cli.ts [runs]     (or `npm run bench -- cli`; 21 runs by default)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildCliBundle, cliBundlePath } from '../build/cli-bundle.mjs';
import { reportResult } from './support/bench-result.js';

const runs = Number(process.argv[2] ?? 21);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`runs must be a positive integer, got ${process.argv[2]}`);

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const bin = 'cli/bin/fleetwave.mjs';
const RELEASES = 5;

interface Subject {
  readonly name: string;
  readonly command: readonly string[];
  readonly times: number[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `fleetwave local` in its own process group, on free ports; resolves once it is ready. */
async function startStack(): Promise<{ child: ChildProcess; apiUrl: string }> {
  const [awsPort, apiPort] = [await freePort(), await freePort()];
  // Time scale 1: the releases wait on their first wave instead of keeping the stack busy.
  const args = ['local', '--aws-port', `${awsPort}`, '--api-port', `${apiPort}`, '--fleet-size', '200'];
  const child = spawn(node, [bin, ...args, '--time-scale', '1'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`fleetwave local exited (${code}):\n${output}`)));
  });
  return { child, apiUrl: `http://127.0.0.1:${apiPort}` };
}

/** Creates the releases `releases list` lists: the demo template over the demo fleet, in two waves. */
async function createReleases(apiUrl: string): Promise<void> {
  for (let i = 1; i <= RELEASES; i++) {
    const response = await fetch(`${apiUrl}/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        releaseId: `bench-cli-${i}`,
        jobTemplateId: 'demo-ota',
        targets: { thingGroups: ['fleet'] },
        waves: [{ percentage: 10 }, { percentage: 100 }],
      }),
    });
    await response.body?.cancel();
    if (response.status !== 202) throw new Error(`POST /releases answered ${response.status}`);
  }
}

/** Runs `command` to its end; the wall time in ms. A failed run stops the benchmark. */
function timeRun(subject: Subject, env: NodeJS.ProcessEnv): number {
  const [file, ...args] = subject.command as [string, ...string[]];
  const started = performance.now();
  const result = spawnSync(file, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`${subject.name} exited ${result.status}: ${result.stderr.toString().trim()}`);
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number) => Math.round(value * 10) / 10;
const times = (value: number) => Math.round(value * 100) / 100;

await buildCliBundle();
const { child: stack, apiUrl } = await startStack();
try {
  await createReleases(apiUrl);
  const env = { ...process.env, FLEETWAVE_API_URL: apiUrl, NO_COLOR: '1' };
  const subject = (name: string, ...command: string[]): Subject => ({ name, command, times: [] });
  const empty = subject('node -e 0', node, '-e', '0');
  const version = subject('fleetwave --version', node, bin, '--version');
  const list = subject('fleetwave releases list', node, bin, 'releases', 'list');
  const bundle = subject(
    'node dist/fleetwave.mjs --version (bundle, no launcher)',
    node,
    cliBundlePath,
    '--version',
  );
  const npx = subject('npx fleetwave --version', 'npx', 'fleetwave', '--version');
  const npm = subject('npx --version (npm alone)', 'npx', '--version');
  const tsxVersion = subject(
    '--version from the sources through tsx',
    node,
    '--import',
    'tsx',
    'cli/main.ts',
    '--version',
  );
  const tsxList = subject(
    'releases list from the sources through tsx',
    node,
    '--import',
    'tsx',
    'cli/main.ts',
    'releases',
    'list',
  );
  const subjects = [empty, version, list, bundle, npx, npm, tsxVersion, tsxList];

  // One run of each first, unmeasured: the file system cache is warm for all alike.
  for (const s of subjects) timeRun(s, env);
  for (let round = 0; round < runs; round++) for (const s of subjects) s.times.push(timeRun(s, env));

  const floor = median(empty.times);
  console.log(`${runs} runs each, median wall time; ${RELEASES} releases listed from ${apiUrl}\n`);
  console.log('| command | median (ms) | ÷ node -e 0 |');
  console.log('| --- | ---: | ---: |');
  for (const s of subjects)
    console.log(`| ${s.name} | ${ms(median(s.times))} | ${times(median(s.times) / floor)}× |`);

  const ratio = (s: Subject) => times(median(s.times) / floor);
  reportResult({
    benchmark: 'cli',
    description: `\`fleetwave\` start to exit (median of ${runs} runs, fresh process each) beside \`node -e 0\` from the same run; releases list against \`fleetwave local\` holding ${RELEASES} releases`,
    figures: [
      { name: 'node -e 0', value: ms(floor), unit: 'ms' },
      { name: 'fleetwave --version', value: ms(median(version.times)), unit: 'ms' },
      { name: 'fleetwave --version ÷ node -e 0', value: ratio(version), unit: '×', goal: '≤ 3×' },
      { name: 'fleetwave releases list', value: ms(median(list.times)), unit: 'ms' },
      { name: 'fleetwave releases list ÷ node -e 0', value: ratio(list), unit: '×', goal: '≤ 3×' },
      { name: 'bundle alone, --version', value: ms(median(bundle.times)), unit: 'ms' },
      { name: 'npx fleetwave --version', value: ms(median(npx.times)), unit: 'ms' },
      { name: 'npx fleetwave --version ÷ node -e 0', value: ratio(npx), unit: '×' },
      { name: 'npx --version (npm alone)', value: ms(median(npm.times)), unit: 'ms' },
      { name: 'sources through tsx, --version', value: ms(median(tsxVersion.times)), unit: 'ms' },
      { name: 'sources through tsx, releases list', value: ms(median(tsxList.times)), unit: 'ms' },
      { name: 'bundle size', value: Math.round(statSync(cliBundlePath).size / 1024), unit: 'KB' },
    ],
  });
} finally {
  // SIGINT to the group, as Ctrl-C: the stack stops and exits.
  const exited = new Promise((resolve) => stack.once('exit', resolve));
  if (stack.pid !== undefined) process.kill(-stack.pid, 'SIGINT');
  await exited;
}
