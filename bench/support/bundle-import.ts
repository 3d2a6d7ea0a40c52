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

/** What one import in a fresh process measured. */
export interface ImportSample {
  /** `await import(bundle)`, timed around the import inside the child. */
  readonly importMs: number;
  /** From the child's start (`performance.timeOrigin`) to the end of the import. */
  readonly sinceStartMs: number;
  /** `typeof` the handler export (`'function'` for a working Lambda entry point). */
  readonly exportType: string;
}

// The child's whole program: time the import, print one JSON line, exit even if the bundle left timers.
const harness = `
const started = performance.now();
const module = await import(process.env.FLEETWAVE_BENCH_MODULE_URL);
const imported = performance.now();
const sample = {
  importMs: imported - started,
  sinceStartMs: imported,
  exportType: typeof module[process.env.FLEETWAVE_BENCH_EXPORT],
};
process.stdout.write(JSON.stringify(sample) + '\\n', () => process.exit(0));
`;

/**
 * Imports `fn`'s bundle once in a new Node process whose environment is the
 * function's own (its plain-string variables, `NODE_OPTIONS` among them)
 * plus what Lambda sets, and nothing of this process's.
 * @throws Error carrying the child's stderr when the import fails
 */
export async function importInFreshNode(
  fn: Pick<PackagedFunction, 'name' | 'modulePath' | 'exportName' | 'environment'>,
): Promise<ImportSample> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...fn.environment,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    FLEETWAVE_BENCH_MODULE_URL: pathToFileURL(fn.modulePath).href,
    FLEETWAVE_BENCH_EXPORT: fn.exportName,
  };
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', harness], {
      env,
      timeout: 60_000,
    });
    return JSON.parse(stdout) as ImportSample;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${fn.name}: importing ${fn.modulePath} failed: ${stderr || String(error)}`);
  }
}
