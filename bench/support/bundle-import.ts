/**
 * Imports a bundle in a fresh Node process, as Lambda's runtime does at a
 * cold start, and reports how long the import took and what the handler
 * export is. A fresh process each time: a second import in one process
 * would be served from the module cache and measure nothing.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { PackagedFunction } from './bundle-package.js';

const run = promisify(execFile);

/** What a handler did when called once (see {@link ImportOptions.invokeWith}). */
type InvokeOutcome =
  | { readonly returned: unknown }
  | { readonly threw: { readonly name: string; readonly message: string } };

/** What one import in a fresh process measured. */
export interface ImportSample {
  /** `await import(bundle)`, timed around the import inside the child. */
  readonly importMs: number;
  /**
   * The CPU time (user + system, every thread of the child) the import used:
   * less sensitive than {@link importMs} to other processes on a loaded machine.
   */
  readonly importCpuMs: number;
  /** From the child's start (`performance.timeOrigin`) to the end of the import. */
  readonly sinceStartMs: number;
  /** `typeof` the handler export (`'function'` for a working Lambda entry point). */
  readonly exportType: string;
  /** Present when {@link ImportOptions.invokeWith} was given. */
  readonly invoked?: InvokeOutcome;
  /** How long that call took, until it returned or threw (the first invocation of a cold start). */
  readonly invokeMs?: number;
}

/** Options of {@link importInFreshNode}. */
export interface ImportOptions {
  /** After the import, call the handler once with this event and a minimal Lambda context. */
  readonly invokeWith?: unknown;
  /** Variables to add to the child's environment, e.g. `AWS_ENDPOINT_URL_IOT` for a local endpoint. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Marks the child's answer among whatever the bundle logs on stdout. */
const marker = 'FLEETWAVE_IMPORT_SAMPLE ';

// The child's whole program: time the import, optionally call the handler, print one marked JSON
// line, and exit even if the bundle left timers or sockets behind.
const harness = `
const cpu = process.cpuUsage();
const started = performance.now();
const module = await import(process.env.FLEETWAVE_BENCH_MODULE_URL);
const imported = performance.now();
const { user, system } = process.cpuUsage(cpu);
const handler = module[process.env.FLEETWAVE_BENCH_EXPORT];
const sample = {
  importMs: imported - started,
  importCpuMs: (user + system) / 1000,
  sinceStartMs: imported,
  exportType: typeof handler,
};
if (process.env.FLEETWAVE_BENCH_EVENT !== undefined) {
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: 'bundle-probe',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bundle-probe',
    getRemainingTimeInMillis: () => 30000,
  };
  const called = performance.now();
  try {
    sample.invoked = { returned: await handler(JSON.parse(process.env.FLEETWAVE_BENCH_EVENT), context) };
  } catch (error) {
    sample.invoked = { threw: { name: error?.name, message: error?.message } };
  }
  sample.invokeMs = performance.now() - called;
}
process.stdout.write('${marker}' + JSON.stringify(sample) + '\\n', () => process.exit(0));
`;

/**
 * Imports `fn`'s bundle once in a new Node process whose environment is the
 * function's own (its plain-string variables, `NODE_OPTIONS` among them)
 * plus what Lambda sets and `options.env`, and nothing of this process's.
 * @throws Error carrying the child's stderr when the import fails
 */
export async function importInFreshNode(
  fn: Pick<PackagedFunction, 'name' | 'modulePath' | 'exportName' | 'environment'>,
  options: ImportOptions = {},
): Promise<ImportSample> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...fn.environment,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    FLEETWAVE_BENCH_MODULE_URL: pathToFileURL(fn.modulePath).href,
    FLEETWAVE_BENCH_EXPORT: fn.exportName,
    ...(options.invokeWith !== undefined && { FLEETWAVE_BENCH_EVENT: JSON.stringify(options.invokeWith) }),
    ...options.env,
  };
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, ['--input-type=module', '-e', harness], {
      env,
      timeout: 60_000,
    }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${fn.name}: importing ${fn.modulePath} failed: ${stderr || String(error)}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith(marker));
  if (!line) throw new Error(`${fn.name}: the import harness printed no result:\n${stdout}`);
  return JSON.parse(line.slice(marker.length)) as ImportSample;
}
