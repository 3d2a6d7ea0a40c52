/**
 * `npm start` and `fleetwave local`: the local stack on 127.0.0.1 until Ctrl-C,
 * with the demo fleet and the `demo-ota` job template seeded.
 *
 *   npm start -- --aws-port 4566 --api-port 3000 --fleet-size 5000 --seed fleetwave
 *                --time-scale 60 [--data-dir .fleetwave]
 *
 * Each flag has an environment variable of the same name (FLEETWAVE_AWS_PORT,
 * FLEETWAVE_API_PORT, FLEETWAVE_FLEET_SIZE, FLEETWAVE_SEED,
 * FLEETWAVE_TIME_SCALE, FLEETWAVE_DATA_DIR); flags win. Virtual time runs 60
 * times faster than wall time by default, so a rollout paced at minutes per
 * wave plays out in seconds.
 *
 * Run as a script it starts at once; imported (by the CLI) it exports
 * {@link runLocal}, so both commands share one flag parser.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { VirtualClock } from './clock/virtual-clock.js';
import { localBanner } from './demo/banner.js';
import { type LaunchedStack, launchLocalStack } from './demo/launch.js';
import type { LocalStack } from './stack.js';

// Node 20 is supported here (docs: README); the SDK's notice about its own future support is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Exit codes, as the CLI documents them: 64 is sysexits' EX_USAGE. */
const usageExit = 64;

export interface RunLocalOptions {
  /** How the command is called, for help and errors: `npm start --` or `fleetwave local`. */
  prog?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Where help, errors and the banner go; the process streams by default. */
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Either the stack runs (and stops, exiting the process, on SIGINT/SIGTERM), or it never started. */
export type LocalRunResult =
  | { status: 'running'; stack: LocalStack; launched: LaunchedStack }
  | { status: 'exited'; exitCode: number };

/** The help of `npm start` / `fleetwave local`. */
export function localUsage(prog: string): string {
  const examples: [string, string][] = [
    ['', 'the defaults'],
    [' --api-port 8080 --aws-port 4567', 'other ports'],
    [' --time-scale 600', 'ten minutes of rollout per wall-clock second'],
    [' --fleet-size 100000 --seed lab-7', 'a larger fleet, another plan'],
    [' --data-dir .fleetwave', 'keep releases, jobs and templates across restarts'],
  ];
  const width = Math.max(...examples.map(([args]) => prog.length + args.length));
  return `Usage: ${prog} [options]

Runs the local stack on 127.0.0.1 until Ctrl-C: the fleetwave REST API, an
AWS-compatible endpoint (IoT, Step Functions, DynamoDB, EventBridge, SNS) and a
simulated fleet, on a virtual clock.

Options:
  --api-port N      REST API port (env FLEETWAVE_API_PORT; default 3000)
  --aws-port N      AWS endpoint port (env FLEETWAVE_AWS_PORT; default 4566)
  --fleet-size N    simulated things seeded at start (env FLEETWAVE_FLEET_SIZE; default 5000)
  --seed S          seed of the fleet plan and device fates (env FLEETWAVE_SEED; default fleetwave)
  --time-scale N    virtual time speed, 0 = stopped (env FLEETWAVE_TIME_SCALE; default 60)
  --time-factor N   the same as --time-scale (env FLEETWAVE_TIME_FACTOR)
  --data-dir DIR    keep DynamoDB and the IoT state on disk in DIR and resume
                    unfinished releases at the next start (env FLEETWAVE_DATA_DIR;
                    default: everything in memory)
  --log-level L     handler log level (env POWERTOOLS_LOG_LEVEL; default WARN)
  -h, --help        show this help

Examples:
${examples.map(([args, what]) => `  ${`${prog}${args}`.padEnd(width)}   # ${what}`).join('\n')}
`;
}

class LocalUsageError extends Error {}

function intSetting(
  name: string,
  flag: string | undefined,
  env: string | undefined,
  fallback: number,
  max: number,
): number {
  const raw = flag ?? env;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new LocalUsageError(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
  return n;
}

interface LocalSettings {
  awsPort: number;
  apiPort: number;
  fleetSize: number;
  seed: string;
  factor: number;
  dataDir: string | undefined;
  logLevel: string;
  help: boolean;
}

function nonEmpty(name: string, value: string | undefined): string | undefined {
  if (value === '') throw new LocalUsageError(`${name} must not be empty`);
  return value;
}

function parseLocalArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): LocalSettings {
  let values: { [k: string]: string | boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'aws-port': { type: 'string' },
        'api-port': { type: 'string' },
        'fleet-size': { type: 'string' },
        seed: { type: 'string' },
        'time-scale': { type: 'string' },
        'time-factor': { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs' messages go on about positionals; the first sentence says what is wrong.
    throw new LocalUsageError((error as Error).message.split('. ')[0] ?? String(error));
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  return {
    awsPort: intSetting('--aws-port', str('aws-port'), env.FLEETWAVE_AWS_PORT, 4566, 65535),
    apiPort: intSetting('--api-port', str('api-port'), env.FLEETWAVE_API_PORT, 3000, 65535),
    fleetSize: intSetting('--fleet-size', str('fleet-size'), env.FLEETWAVE_FLEET_SIZE, 5000, 1_000_000),
    seed: nonEmpty('--seed', str('seed') ?? env.FLEETWAVE_SEED) ?? 'fleetwave',
    factor: intSetting(
      '--time-scale',
      str('time-scale') ?? str('time-factor'),
      env.FLEETWAVE_TIME_SCALE ?? env.FLEETWAVE_TIME_FACTOR,
      60,
      1_000_000,
    ),
    dataDir: nonEmpty('--data-dir', str('data-dir') ?? env.FLEETWAVE_DATA_DIR),
    logLevel: str('log-level') ?? env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    help: values.help === true,
  };
}

/**
 * Starts the local stack from command-line flags. Resolves `exited` without
 * starting it after `--help` (0), for a bad flag (64) or a port in use (1);
 * otherwise `running`, with SIGINT/SIGTERM handlers that close the stack and
 * exit the process.
 */
export async function runLocal(
  argv: readonly string[],
  options: RunLocalOptions = {},
): Promise<LocalRunResult> {
  const prog = options.prog ?? 'npm start --';
  const out = options.stdout ?? ((text: string) => process.stdout.write(text));
  const err = options.stderr ?? ((text: string) => process.stderr.write(text));
  let settings: LocalSettings;
  try {
    settings = parseLocalArgs(argv, options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof LocalUsageError)) throw error;
    err(`${prog.replace(/ --$/, '')}: ${error.message}\n\n${localUsage(prog)}`);
    return { status: 'exited', exitCode: usageExit };
  }
  if (settings.help) {
    out(localUsage(prog));
    return { status: 'exited', exitCode: 0 };
  }
  const { awsPort, apiPort, factor, logLevel, dataDir, fleetSize, seed } = settings;
  let launched: LaunchedStack;
  try {
    launched = await launchLocalStack({
      awsPort,
      apiPort,
      clock: new VirtualClock({ mode: factor === 0 ? { kind: 'manual' } : { kind: 'scaled', factor } }),
      fleet: { size: fleetSize, seed },
      ...(dataDir !== undefined && { dataDir }),
      logLevel,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const { port } = error as { port?: number };
    err(`fleetwave: port ${port ?? ''} is in use; choose others with --aws-port and --api-port.\n`);
    return { status: 'exited', exitCode: 1 };
  }
  const { stack } = launched;
  out(localBanner(launched, { factor, dataDir }));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    out(`\n${signal}: stopping…\n`);
    launched.close().then(
      () => process.exit(0),
      (error: unknown) => {
        err(`${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return { status: 'running', stack, launched };
}

/** True when this module is the script node was started with (`tsx local/start.ts`). */
function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const result = await runLocal(process.argv.slice(2));
  if (result.status === 'exited') process.exit(result.exitCode);
}
