/**
 * `npm start`: the local stack on 127.0.0.1 until Ctrl-C.
 *
 *   npm start -- --aws-port 4566 --api-port 3000 [--time-factor 60]
 *
 * Flags win over FLEETWAVE_AWS_PORT / FLEETWAVE_API_PORT / FLEETWAVE_TIME_FACTOR.
 * Virtual time runs 60 times faster than wall time by default, so a rollout
 * paced at minutes per wave plays out in seconds.
 */
import { parseArgs } from 'node:util';
import { VirtualClock } from './clock/virtual-clock.js';
import { startLocalStack } from './stack.js';

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
  if (!Number.isInteger(n) || n < 0 || n > max) {
    console.error(`fleetwave: ${name} must be an integer from 0 to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    'aws-port': { type: 'string' },
    'api-port': { type: 'string' },
    'time-factor': { type: 'string' },
    'log-level': { type: 'string' },
  },
});

const awsPort = intSetting('--aws-port', values['aws-port'], process.env.FLEETWAVE_AWS_PORT, 4566, 65535);
const apiPort = intSetting('--api-port', values['api-port'], process.env.FLEETWAVE_API_PORT, 3000, 65535);
const factor = intSetting(
  '--time-factor',
  values['time-factor'],
  process.env.FLEETWAVE_TIME_FACTOR,
  60,
  1_000_000,
);

const stack = await startLocalStack({
  awsPort,
  apiPort,
  clock: new VirtualClock({ mode: factor === 0 ? { kind: 'manual' } : { kind: 'scaled', factor } }),
  logLevel: values['log-level'] ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
}).catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const { port } = error as { port?: number };
    console.error(`fleetwave: port ${port ?? ''} is in use; choose others with --aws-port and --api-port.`);
    process.exit(1);
  }
  throw error;
});

console.log(`fleetwave local stack ready
  REST API      ${stack.apiUrl}
  AWS endpoint  ${stack.awsUrl}   (AWS_ENDPOINT_URL=${stack.awsUrl}, any credentials, region ${stack.region})
  virtual time  ${factor === 0 ? 'manual' : `${factor}x wall time`}
Press Ctrl-C to stop.`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  stack.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
