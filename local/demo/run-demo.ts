/**
 * `npm run demo`: one release of the `demo-ota` template to the demo fleet,
 * 1 % → 10 % → 50 % → 100 %, watched to its end with `fleetwave releases
 * create --watch`. It uses the stack `npm start` runs (found at the API URL)
 * or, when none answers, starts one in this process on free ports.
 * `--with-failure` aims the same plan at the misbehaving `canary-bad`
 * cohort, so the failure threshold stops the release. The exit code is the
 * CLI's: 0 for SUCCEEDED, 1 for FAILED (see docs/cli.md).
 *
 *   npm run demo [-- --with-failure] [--time-scale 600] [--fleet-size 5000] [--release-id ID]
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { processIo } from '../../cli/io.js';
import { runCli } from '../../cli/run.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { badCohortGroup, demoTemplateId } from './demo-fleet.js';
import { type LaunchedStack, launchLocalStack } from './launch.js';

/** The healthy demo release, without an id. */
export const demoReleaseFile = fileURLToPath(new URL('demo-release.json', import.meta.url));

// Node 20 is supported here (docs: README); the SDK's notice about its own future support is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** How the demo runs; flags, then environment, then defaults. */
export interface DemoSettings {
  withFailure: boolean;
  apiUrl: string;
  awsUrl: string;
  /** Virtual time speed while the demo runs. */
  timeScale: number;
  /** Fleet of a stack the demo starts itself. */
  fleetSize: number;
  seed: string;
  /** A fixed release id (`--release-id`); by default one from the current time. */
  releaseId: string | undefined;
}

export function demoSettings(argv: readonly string[], env: NodeJS.ProcessEnv): DemoSettings {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'with-failure': { type: 'boolean' },
      'api-url': { type: 'string' },
      'aws-url': { type: 'string' },
      'time-scale': { type: 'string' },
      'fleet-size': { type: 'string' },
      seed: { type: 'string' },
      'release-id': { type: 'string' },
    },
  });
  const number = (raw: string | undefined, fallback: number) => {
    const n = Number(raw ?? fallback);
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${raw}"`);
    return n;
  };
  return {
    withFailure: values['with-failure'] === true,
    apiUrl: values['api-url'] ?? env.FLEETWAVE_API_URL ?? 'http://127.0.0.1:3000',
    awsUrl: values['aws-url'] ?? env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566',
    timeScale: number(values['time-scale'] ?? env.FLEETWAVE_DEMO_TIME_SCALE, 600),
    fleetSize: number(values['fleet-size'] ?? env.FLEETWAVE_FLEET_SIZE, 5000),
    seed: values.seed ?? env.FLEETWAVE_SEED ?? 'fleetwave',
    // Cohorts and device fates follow the release id: a fixed one replays the same rollout.
    releaseId: values['release-id'],
  };
}

/** True when a fleetwave API answers at `apiUrl` (any HTTP answer counts). */
async function apiAnswers(apiUrl: string): Promise<boolean> {
  try {
    await fetch(`${apiUrl}/releases?limit=1`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

type ClockMode = { kind: 'manual' } | { kind: 'max' } | { kind: 'scaled'; factor: number };

/** Speeds up a running stack's clock; returns how to put the previous mode back (or nothing to undo). */
async function accelerate(awsUrl: string, factor: number): Promise<(() => Promise<void>) | undefined> {
  const got = await fetch(`${awsUrl}/_fleetwave/clock`).catch(() => undefined);
  if (!got?.ok) return undefined;
  const { mode } = (await got.json()) as { mode: ClockMode };
  if (mode.kind !== 'scaled' || mode.factor >= factor) return undefined;
  const put = (body: ClockMode) =>
    fetch(`${awsUrl}/_fleetwave/clock/mode`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await put({ kind: 'scaled', factor });
  return async () => {
    await put(mode);
  };
}

/**
 * The demo release request: `demo-release.json` (the file the banner's
 * first command uses), aimed at the misbehaving cohort for `--with-failure`.
 * Each wave waits for a sample of finished things before failures can stop
 * it (IoT's abort criteria count failures among the things that finished:
 * two early failures in the first twenty would stop a healthy wave).
 */
export function demoReleaseRequest(withFailure: boolean, releaseId: string): Record<string, unknown> {
  const request = JSON.parse(readFileSync(demoReleaseFile, 'utf8')) as Record<string, unknown>;
  if (!withFailure) return { ...request, releaseId };
  return {
    ...request,
    releaseId,
    description: 'Firmware 2.4.0 to the misbehaving cohort',
    targets: { thingGroups: [badCohortGroup] },
  };
}

/** `fleetwave releases create -f - --watch`, the request coming on standard input. */
export const demoCliArgs = ['releases', 'create', '-f', '-', '--watch', '--interval', '500ms'];

/** Runs the demo; resolves the exit code (the CLI's, mirroring the release's outcome). */
export async function runDemo(settings: DemoSettings, out: (text: string) => void): Promise<number> {
  let own: LaunchedStack | undefined;
  let apiUrl = settings.apiUrl;
  let restoreClock: (() => Promise<void>) | undefined;
  if (await apiAnswers(apiUrl)) {
    out(`Using the local stack at ${apiUrl}.\n`);
    restoreClock = await accelerate(settings.awsUrl, settings.timeScale);
    if (restoreClock) out(`Virtual time runs ${settings.timeScale}x wall time during the demo.\n`);
  } else {
    out(`No stack answers at ${apiUrl}: starting one in this process (${settings.fleetSize} things)…\n`);
    own = await launchLocalStack({
      awsPort: 0,
      apiPort: 0,
      clock: new VirtualClock({ mode: { kind: 'scaled', factor: settings.timeScale } }),
      fleet: { size: settings.fleetSize, seed: settings.seed },
    });
    apiUrl = own.stack.apiUrl;
  }
  const releaseId =
    settings.releaseId ??
    `demo-${settings.withFailure ? 'bad-' : ''}${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  out(
    settings.withFailure
      ? `Rolling ${demoTemplateId} out to the misbehaving ${badCohortGroup} cohort: the failure threshold (10 %) will stop it.\n\n`
      : `Rolling ${demoTemplateId} out to the fleet in four waves: 1 %, 10 %, 50 %, 100 %.\n\n`,
  );
  const io = processIo();
  try {
    const request = JSON.stringify(demoReleaseRequest(settings.withFailure, releaseId));
    return await runCli(demoCliArgs, {
      ...io,
      env: { ...io.env, FLEETWAVE_API_URL: apiUrl },
      readStdin: async () => request,
    });
  } finally {
    await restoreClock?.();
    await own?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await runDemo(demoSettings(process.argv.slice(2), process.env), (text) =>
    process.stdout.write(text),
  );
}
