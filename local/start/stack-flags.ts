/**
 * The flags that say how to start the local stack, parsed once for every
 * command that starts one (`npm start`, `fleetwave local`, `npm run demo`),
 * so they take the same flags and refuse unknown ones the same way: a usage
 * error naming the flag, exit code 64, no stack trace.
 *
 * Each flag has an environment variable of the same name (FLEETWAVE_AWS_PORT,
 * FLEETWAVE_API_PORT, FLEETWAVE_MQTT_PORT, FLEETWAVE_MQTTS_PORT,
 * FLEETWAVE_FLEET_SIZE, FLEETWAVE_SEED, FLEETWAVE_TIME_SCALE,
 * FLEETWAVE_DATA_DIR); flags win.
 */
import { parseArgs } from 'node:util';

/** sysexits' EX_USAGE, as the CLI documents it. */
export const usageExit = 64;

/** A flag or a value the command does not take; the message says which and why. */
export class UsageError extends Error {}

/** The command's own flags, beside the stack's (a subset of `parseArgs` options). */
export type ExtraFlags = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** How to start the stack, from flags, then environment, then defaults. */
export interface StackSettings {
  awsPort: number;
  apiPort: number;
  /**
   * The MQTT broker's plain port; `false` when off (`--mqtt-port 0`). A
   * default of 0 (never from the command line) means a free port.
   */
  mqttPort: number | false;
  /** The MQTT broker's mutual-TLS port, as {@link mqttPort}. */
  mqttsPort: number | false;
  fleetSize: number;
  seed: string;
  /** Virtual time speed; 0 stops it (manual clock). */
  factor: number;
  dataDir: string | undefined;
  logLevel: string;
  help: boolean;
}

/**
 * Defaults a command may set differently (the demo runs faster, on free
 * ports); a command that names no MQTT ports runs no broker.
 */
export type StackDefaults = Pick<StackSettings, 'awsPort' | 'apiPort' | 'factor'> &
  Partial<Pick<StackSettings, 'mqttPort' | 'mqttsPort'>>;

/** What `npm start` uses when neither a flag nor the environment says. */
export const startDefaults: StackDefaults = {
  awsPort: 4566,
  apiPort: 3000,
  mqttPort: 1883,
  mqttsPort: 8883,
  factor: 60,
};

const stackOptions = {
  'aws-port': { type: 'string' },
  'api-port': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'mqtts-port': { type: 'string' },
  'fleet-size': { type: 'string' },
  seed: { type: 'string' },
  'time-scale': { type: 'string' },
  'time-factor': { type: 'string' },
  'data-dir': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The help lines of the stack's flags, given the defaults the command uses. */
export function stackFlagsHelp(defaults: StackDefaults): string {
  const port = (n: number | false | undefined) =>
    n === undefined || n === false ? 'off' : n === 0 ? 'a free port' : String(n);
  return `  --api-port N      REST API port (env FLEETWAVE_API_PORT; default ${port(defaults.apiPort)})
  --aws-port N      AWS endpoint port (env FLEETWAVE_AWS_PORT; default ${port(defaults.awsPort)})
  --mqtt-port N     MQTT broker, plain TCP, 0 = off (env FLEETWAVE_MQTT_PORT; default ${port(defaults.mqttPort)})
  --mqtts-port N    MQTT broker, mutual TLS, 0 = off (env FLEETWAVE_MQTTS_PORT; default ${port(defaults.mqttsPort)})
  --fleet-size N    simulated things seeded at start (env FLEETWAVE_FLEET_SIZE; default 5000)
  --seed S          seed of the fleet plan and device fates (env FLEETWAVE_SEED; default fleetwave)
  --time-scale N    virtual time speed, 0 = stopped (env FLEETWAVE_TIME_SCALE; default ${defaults.factor})
  --time-factor N   the same as --time-scale (env FLEETWAVE_TIME_FACTOR)
  --data-dir DIR    keep DynamoDB and the IoT state on disk in DIR and resume
                    unfinished releases at the next start (env FLEETWAVE_DATA_DIR;
                    default: everything in memory)
  --log-level L     handler log level (env POWERTOOLS_LOG_LEVEL; default WARN)
  -h, --help        show this help`;
}

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
    throw new UsageError(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
  return n;
}

/** A port where 0 on the command line turns the listener off. */
function portOrOff(
  name: string,
  flag: string | undefined,
  env: string | undefined,
  fallback: number | false | undefined,
): number | false {
  if ((flag ?? env ?? '') === '') return fallback ?? false;
  const n = intSetting(name, flag, env, 0, 65535);
  return n === 0 ? false : n;
}

function nonEmpty(name: string, value: string | undefined): string | undefined {
  if (value === '') throw new UsageError(`${name} must not be empty`);
  return value;
}

/**
 * Parses `argv`: the stack's flags and the command's `extra` ones, nothing
 * else (no positionals).
 * @returns the stack settings and the values of the extra flags
 * @throws UsageError for an unknown flag, a missing value or a bad number
 */
export function parseStackFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaults: StackDefaults = startDefaults,
  extra: ExtraFlags = {},
): { settings: StackSettings; extra: Record<string, string | boolean | undefined> } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { ...stackOptions, ...extra } }));
  } catch (error) {
    // parseArgs' messages go on about positionals; the first sentence says what is wrong.
    throw new UsageError((error as Error).message.split('. ')[0] ?? String(error));
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const settings: StackSettings = {
    awsPort: intSetting('--aws-port', str('aws-port'), env.FLEETWAVE_AWS_PORT, defaults.awsPort, 65535),
    apiPort: intSetting('--api-port', str('api-port'), env.FLEETWAVE_API_PORT, defaults.apiPort, 65535),
    mqttPort: portOrOff('--mqtt-port', str('mqtt-port'), env.FLEETWAVE_MQTT_PORT, defaults.mqttPort),
    mqttsPort: portOrOff('--mqtts-port', str('mqtts-port'), env.FLEETWAVE_MQTTS_PORT, defaults.mqttsPort),
    fleetSize: intSetting('--fleet-size', str('fleet-size'), env.FLEETWAVE_FLEET_SIZE, 5000, 1_000_000),
    seed: nonEmpty('--seed', str('seed') ?? env.FLEETWAVE_SEED) ?? 'fleetwave',
    factor: intSetting(
      '--time-scale',
      str('time-scale') ?? str('time-factor'),
      env.FLEETWAVE_TIME_SCALE ?? env.FLEETWAVE_TIME_FACTOR,
      defaults.factor,
      1_000_000,
    ),
    dataDir: nonEmpty('--data-dir', str('data-dir') ?? env.FLEETWAVE_DATA_DIR),
    logLevel: str('log-level') ?? env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    help: values.help === true,
  };
  return {
    settings,
    extra: Object.fromEntries(Object.keys(extra).map((name) => [name, values[name]])),
  };
}

/** The usage error as the commands print it: what is wrong, then the help. */
export function usageMessage(prog: string, error: UsageError, usage: string): string {
  return `${prog.replace(/ --$/, '')}: ${error.message}\n\n${usage}`;
}
