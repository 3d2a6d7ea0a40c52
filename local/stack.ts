/**
 * The whole local stack in one process: the virtual clock, the emulated AWS
 * services on one loopback endpoint, and the HTTP API running the real
 * handlers. `npm start` and the tests both start it through
 * {@link startLocalStack}, so what a test exercises is what a person runs.
 *
 * The handlers reach the emulators exactly as they reach AWS: through the
 * SDK's standard endpoint variables, which this module sets (with dummy
 * credentials and the region) before any handler reads its configuration.
 * Those variables are process-wide, so one process runs one stack at a time.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resetConfig } from '../lib/config.js';
import { createAwsEndpoint } from './aws-endpoint/router.js';
import { VirtualClock } from './clock/virtual-clock.js';
import { type HttpApi, startHttpApi } from './http-api/server.js';
import { createIotEmulator, type IotEmulator } from './iot/index.js';

export interface LocalStackOptions {
  /** Port of the AWS endpoint; 0 (default) picks a free one. */
  awsPort?: number;
  /** Port of the HTTP API; 0 (default) picks a free one. */
  apiPort?: number;
  /** Interface to bind; loopback only. */
  host?: '127.0.0.1';
  /** The clock every emulator reads; a manual-mode clock by default (tests advance it). */
  clock?: VirtualClock;
  region?: string;
  accountId?: string;
  /** Handlers' log level (`POWERTOOLS_LOG_LEVEL`); WARN by default to keep test output quiet. */
  logLevel?: string;
}

export interface LocalStack {
  /** `http://127.0.0.1:<port>`: point any AWS SDK or the AWS CLI here (`--endpoint-url`). */
  readonly awsUrl: string;
  /** `http://127.0.0.1:<port>`: the fleetwave REST API. */
  readonly apiUrl: string;
  readonly clock: VirtualClock;
  readonly iot: IotEmulator;
  readonly region: string;
  readonly accountId: string;
  /** Stops everything, restores the environment; safe to call twice. */
  close(): Promise<void>;
}

/** Dummy credentials: the local endpoints accept any signature. */
const localCredentials = { AWS_ACCESS_KEY_ID: 'AKIDLOCALFLEETWAVE', AWS_SECRET_ACCESS_KEY: 'local-secret' };

let running = false;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Sets `vars` in `process.env`; returns the function that puts the previous values back. */
function setEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(previous);
}

/** Starts the local stack; resolves once every listener is up. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (running) throw new Error('A local stack is already running in this process; close it first.');
  running = true;
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const clock = options.clock ?? new VirtualClock({ mode: { kind: 'manual' } });
  const iot = createIotEmulator({ clock, region, accountId });
  const aws = createAwsEndpoint([iot]);
  let restoreEnv: (() => void) | undefined;
  let api: HttpApi | undefined;
  const close = async () => {
    clock.stop();
    await Promise.all([api?.close(), closeServer(aws)]);
    restoreEnv?.();
    resetConfig();
    running = false;
  };
  try {
    const awsPort = await listen(aws, options.awsPort ?? 0, host);
    const awsUrl = `http://${host}:${awsPort}`;
    restoreEnv = setEnv({
      AWS_ENDPOINT_URL: awsUrl,
      AWS_ENDPOINT_URL_IOT: awsUrl,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      ...localCredentials,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
    });
    // Handlers read their configuration (and build SDK clients) on first use: make that use see these values.
    resetConfig();
    api = await startHttpApi({ port: options.apiPort ?? 0, host, clock, region, accountId });
    clock.start();
    let closed: Promise<void> | undefined;
    return {
      awsUrl,
      apiUrl: api.url,
      clock,
      iot,
      region,
      accountId,
      close: () => {
        closed ??= close();
        return closed;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
