import { parseArgs } from 'node:util';

/** What the device is told to do with a job once its download (if any) is checked. */
export type Outcome = 'succeed' | 'fail';

/** Which MQTT protocol the device SDK speaks to the broker. */
type MqttVersion = '5' | '3.1.1';

/** Everything the agent needs to know, read from its command line. */
export interface AgentOptions {
  endpoint: string;
  port: number;
  cert: string;
  key: string;
  /** Absent: the system's trust store (right for AWS IoT's ATS endpoint). */
  ca?: string;
  thing: string;
  clientId: string;
  mqtt: MqttVersion;
  outcome: Outcome;
  /** Seconds the simulated install step takes; 0 ends the job as soon as the download is checked. */
  stepSeconds: number;
  /** Exit after this many jobs; undefined: run until stopped. */
  maxJobs?: number;
  /** Sent with each start-next so the service times out an agent that stops reporting. */
  stepTimeoutMinutes?: number;
}

/** A command line the agent cannot run with; the message says why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The `--help` text. */
export const usage = `Usage: npx tsx examples/device-agent/agent.ts --endpoint HOST --cert FILE --key FILE --thing NAME [options]

  --endpoint HOST[:PORT]   MQTT endpoint (aws iot describe-endpoint --endpoint-type iot:Data-ATS)
  --port N                 TLS port (default: the endpoint's, else 8883)
  --cert FILE              device certificate (PEM)
  --key FILE               device private key (PEM)
  --ca FILE                CA that signed the server certificate (default: the system trust store)
  --thing NAME             thing name the jobs belong to
  --client-id ID           MQTT client id (default: the thing name)
  --mqtt 5|3.1.1           MQTT protocol (default 5, as AWS's current jobs sample)
  --outcome succeed|fail   how each job ends after its download is checked (default succeed)
  --step-seconds N         seconds the simulated install step takes (default 0)
  --step-timeout-minutes N step timer asked for with each start-next (default: none)
  --max-jobs N             exit after N jobs (default: run until SIGINT/SIGTERM)
  --once                   exit after one job (same as --max-jobs 1)
  --help                   this text`;

function positiveInteger(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}, not "${text}"`);
  }
  return value;
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/**
 * Reads the agent's flags. Returns undefined when `--help` was asked for; throws
 * {@link UsageError} for a missing or malformed flag.
 */
export function parseAgentOptions(argv: readonly string[]): AgentOptions | undefined {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const outcome = values.outcome ?? 'succeed';
  if (outcome !== 'succeed' && outcome !== 'fail') {
    throw new UsageError(`--outcome must be succeed or fail, not "${outcome}"`);
  }
  const mqtt = values.mqtt ?? '5';
  if (mqtt !== '5' && mqtt !== '3.1.1') throw new UsageError(`--mqtt must be 5 or 3.1.1, not "${mqtt}"`);
  if (values.once && values['max-jobs'] !== undefined)
    throw new UsageError('--once and --max-jobs exclude each other');
  const thing = required('--thing', values.thing);
  const maxJobs = values.once
    ? 1
    : values['max-jobs'] === undefined
      ? undefined
      : positiveInteger('--max-jobs', values['max-jobs'], 1);
  const endpoint = splitEndpoint(required('--endpoint', values.endpoint));
  const port = values.port === undefined ? undefined : positiveInteger('--port', values.port, 1);
  if (port !== undefined && endpoint.port !== undefined && port !== endpoint.port) {
    throw new UsageError(`--endpoint names port ${endpoint.port} and --port ${port}`);
  }
  const options: AgentOptions = {
    endpoint: endpoint.host,
    port: port ?? endpoint.port ?? 8883,
    cert: required('--cert', values.cert),
    key: required('--key', values.key),
    thing,
    clientId: values['client-id'] ?? thing,
    mqtt,
    outcome,
    stepSeconds:
      values['step-seconds'] === undefined ? 0 : positiveInteger('--step-seconds', values['step-seconds'], 0),
  };
  if (options.port > 65535) throw new UsageError(`--port must be at most 65535, not ${options.port}`);
  if (values.ca !== undefined) options.ca = values.ca;
  if (maxJobs !== undefined) options.maxJobs = maxJobs;
  if (values['step-timeout-minutes'] !== undefined) {
    // AWS accepts a step timer of 1 to 10080 minutes (7 days).
    const minutes = positiveInteger('--step-timeout-minutes', values['step-timeout-minutes'], 1);
    if (minutes > 10080) throw new UsageError('--step-timeout-minutes must be at most 10080');
    options.stepTimeoutMinutes = minutes;
  }
  return options;
}

/**
 * `host` or `host:port`: DescribeEndpoint answers the local stack's broker as
 * `127.0.0.1:<port>` when it is not on 8883, so its answer can be passed as it is.
 */
function splitEndpoint(endpoint: string): { host: string; port?: number } {
  const match = /^([^:]+):(\d+)$/.exec(endpoint);
  if (!match) return { host: endpoint };
  return { host: match[1]!, port: positiveInteger('--endpoint port', match[2]!, 1) };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      endpoint: { type: 'string' },
      port: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      ca: { type: 'string' },
      thing: { type: 'string' },
      'client-id': { type: 'string' },
      mqtt: { type: 'string' },
      outcome: { type: 'string' },
      'step-seconds': { type: 'string' },
      'step-timeout-minutes': { type: 'string' },
      'max-jobs': { type: 'string' },
      once: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}
