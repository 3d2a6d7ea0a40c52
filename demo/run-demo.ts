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
 *                   [--api-port N] [--aws-port N] [--data-dir DIR] ... (the flags `npm start` takes)
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processIo } from '../cli/io.js';
import { runCli } from '../cli/run.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { badCohortGroup, demoTemplateId } from '../local/start/demo-fleet.js';
import { type SeededStack, startSeededStack } from '../local/start/seeded-stack.js';
import {
  parseStackFlags,
  type StackDefaults,
  type StackSettings,
  stackFlagsHelp,
  UsageError,
  usageExit,
  usageMessage,
} from '../local/start/stack-flags.js';

/** The healthy demo release, without an id. */
export const demoReleaseFile = fileURLToPath(new URL('demo-release.json', import.meta.url));

// Node 20 is supported here (docs: README); the SDK's notice about its own future support is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** How the demo runs; flags, then environment, then defaults. */
export interface DemoSettings {
  withFailure: boolean;
  /** Where the demo looks for a running stack. */
  apiUrl: string;
  awsUrl: string;
  /** The stack the demo starts itself when none answers at `apiUrl`: the flags `npm start` takes. */
  stack: StackSettings;
  /** A fixed release id (`--release-id`); by default one from the current time. */
  releaseId: string | undefined;
}

/** Without flags, a stack the demo starts itself listens on free ports, at 600x wall time. */
const demoDefaults: StackDefaults = { awsPort: 0, apiPort: 0, factor: 600 };

const demoFlags = {
  'with-failure': { type: 'boolean' },
  'api-url': { type: 'string' },
  'aws-url': { type: 'string' },
  'release-id': { type: 'string' },
} as const;

/** The stack's flags as the demo reads them: its own clock variable, and no stopped clock. */
function demoStackFlagsHelp(): string {
  return stackFlagsHelp(demoDefaults)
    .replace(
      'virtual time speed, 0 = stopped (env FLEETWAVE_TIME_SCALE;',
      'virtual time speed (env FLEETWAVE_DEMO_TIME_SCALE;',
    )
    .replace(' (env FLEETWAVE_TIME_FACTOR)', '');
}

/** The help of `npm run demo`. */
export function demoUsage(prog: string): string {
  return `Usage: ${prog} [options]

Rolls the demo-ota template out to the demo fleet in four waves (1 %, 10 %,
50 %, 100 %) and watches it to its end; the exit code is the release's (0
SUCCEEDED, 1 FAILED). Uses the stack at --api-url, or starts one in this
process with the options npm start takes.

Options:
  --with-failure    aim the release at the misbehaving canary-bad cohort
  --api-url URL     a running stack's REST API (env FLEETWAVE_API_URL; default
                    http://127.0.0.1:3000, or the --api-port given)
  --aws-url URL     its AWS endpoint (env AWS_ENDPOINT_URL; default
                    http://127.0.0.1:4566, or the --aws-port given)
  --release-id ID   a fixed release id: the same id replays the same rollout
${demoStackFlagsHelp()}
`;
}

/**
 * The demo's settings from its flags.
 * @throws UsageError for a flag neither the demo nor `npm start` takes, or a bad value
 */
export function demoSettings(argv: readonly string[], env: NodeJS.ProcessEnv): DemoSettings {
  // The demo's clock has its own variable: a stack's FLEETWAVE_TIME_SCALE is too slow to watch.
  const demoEnv = {
    ...env,
    FLEETWAVE_TIME_SCALE: env.FLEETWAVE_DEMO_TIME_SCALE,
    FLEETWAVE_TIME_FACTOR: undefined,
  };
  const { settings, extra } = parseStackFlags(argv, demoEnv, demoDefaults, demoFlags);
  // A stopped clock would wait for ever; the demo is watched in real time.
  if (settings.factor === 0) throw new UsageError('--time-scale must be at least 1 for the demo');
  const text = (name: keyof typeof demoFlags) =>
    typeof extra[name] === 'string' ? (extra[name] as string) : undefined;
  const at = (port: number) => (port === 0 ? undefined : `http://127.0.0.1:${port}`);
  return {
    withFailure: extra['with-failure'] === true,
    apiUrl: text('api-url') ?? at(settings.apiPort) ?? env.FLEETWAVE_API_URL ?? 'http://127.0.0.1:3000',
    awsUrl: text('aws-url') ?? at(settings.awsPort) ?? env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566',
    stack: settings,
    // Cohorts and device fates follow the release id: a fixed one replays the same rollout.
    releaseId: text('release-id'),
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
  let own: SeededStack | undefined;
  let apiUrl = settings.apiUrl;
  let restoreClock: (() => Promise<void>) | undefined;
  if (await apiAnswers(apiUrl)) {
    out(`Using the local stack at ${apiUrl}.\n`);
    restoreClock = await accelerate(settings.awsUrl, settings.stack.factor);
    if (restoreClock) out(`Virtual time runs ${settings.stack.factor}x wall time during the demo.\n`);
  } else {
    const { awsPort, apiPort, factor, fleetSize, seed, dataDir, logLevel } = settings.stack;
    out(`No stack answers at ${apiUrl}: starting one in this process (${fleetSize} things)…\n`);
    own = await startSeededStack({
      awsPort,
      apiPort,
      clock: new VirtualClock({ mode: { kind: 'scaled', factor } }),
      fleet: { size: fleetSize, seed },
      ...(dataDir !== undefined && { dataDir }),
      logLevel,
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

/** `npm run demo -- <args>`: a usage error is a message and exit 64, as for `npm start`. */
async function main(argv: readonly string[]): Promise<number> {
  const prog = 'npm run demo --';
  let settings: DemoSettings;
  try {
    settings = demoSettings(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(usageMessage(prog, error, demoUsage(prog)));
    return usageExit;
  }
  if (settings.stack.help) {
    process.stdout.write(demoUsage(prog));
    return 0;
  }
  return runDemo(settings, (text) => process.stdout.write(text));
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
