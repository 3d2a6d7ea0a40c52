/**
 * `npm start` and `fleetwave local`: the local stack on 127.0.0.1 until Ctrl-C,
 * with the demo fleet and the `demo-ota` job template seeded.
 *
 *   npm start -- --aws-port 4566 --api-port 3000 --fleet-size 5000 --seed fleetwave
 *                --time-scale 60 [--data-dir .fleetwave]
 *
 * The flags (and their environment variables) are those of `stack-flags.ts`,
 * shared with `npm run demo`. Virtual time runs 60 times faster than wall
 * time by default, so a rollout paced at minutes per wave plays out in seconds.
 *
 * Run as a script it starts at once; imported (by the CLI) it exports
 * {@link runLocal}, so both commands are one.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { LocalStack } from '../endpoints.js';
import { localBanner } from './banner.js';
import { type SeededStack, startSeededStack } from './seeded-stack.js';
import {
  parseStackFlags,
  type StackSettings,
  stackFlagsHelp,
  startDefaults,
  UsageError,
  usageExit,
  usageMessage,
} from './stack-flags.js';

// Node 20 is supported here (docs: README); the SDK's notice about its own future support is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
  | { status: 'running'; stack: LocalStack; launched: SeededStack }
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
${stackFlagsHelp(startDefaults)}

Examples:
${examples.map(([args, what]) => `  ${`${prog}${args}`.padEnd(width)}   # ${what}`).join('\n')}
`;
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
  let settings: StackSettings;
  try {
    ({ settings } = parseStackFlags(argv, options.env ?? process.env));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(usageMessage(prog, error, localUsage(prog)));
    return { status: 'exited', exitCode: usageExit };
  }
  if (settings.help) {
    out(localUsage(prog));
    return { status: 'exited', exitCode: 0 };
  }
  const { awsPort, apiPort, mqttPort, mqttsPort, factor, logLevel, dataDir, fleetSize, seed } = settings;
  let launched: SeededStack;
  try {
    launched = await startSeededStack({
      awsPort,
      apiPort,
      mqttPort,
      mqttsPort,
      clock: new VirtualClock({ mode: factor === 0 ? { kind: 'manual' } : { kind: 'scaled', factor } }),
      fleet: { size: fleetSize, seed },
      ...(dataDir !== undefined && { dataDir }),
      logLevel,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const { port } = error as { port?: number };
    err(
      `fleetwave: port ${port ?? ''} is in use; choose others with --aws-port, --api-port, --mqtt-port and --mqtts-port.\n`,
    );
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

/** True when this module is the script node was started with (`tsx local/start/start-command.ts`). */
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
