/**
 * Loads a Lambda handler from a `serverless.yml` `handler` string, the one
 * way the local stack does it for HTTP routes, workflow tasks, rule targets
 * and topic-rule actions alike.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports the export named after the last dot of `handler` (e.g.
 * `functions/api/x.handler`) from `functions/api/x` as `.ts` (source) or
 * `.js`/`.mjs` (built) under `root`. The caller names the handler's type.
 */
export async function importHandler<F extends (...args: never[]) => unknown>(
  root: string,
  handler: string,
): Promise<F> {
  const dot = handler.lastIndexOf('.');
  const base = join(root, handler.slice(0, dot));
  const file = ['.ts', '.js', '.mjs'].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) throw new Error(`No module for handler ${handler}`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = mod[handler.slice(dot + 1)];
  if (typeof fn !== 'function') throw new Error(`${handler} does not export a function`);
  return fn as F;
}
