/**
 * One `serverless package` run per test file (per Vitest worker process),
 * shared by every test in it that reads the packaged service: packaging
 * takes 10 s or more, the zips and the template it writes are
 * deterministic. Each run packages a copy of the project in its own
 * temporary directory (see `bench/support/bundle-package.ts`), so test files
 * that package at the same time never share a build folder.
 *
 *   beforeAll(async () => { service = await packagedService(); }, PACKAGING_TIMEOUT_MS);
 *   afterAll(removePackagedServices);
 */
import {
  type PackagedService,
  type PackageOptions,
  packageService,
} from '../../../bench/support/bundle-package.js';

/** Enough for `serverless package` on a loaded two-core machine. */
export const PACKAGING_TIMEOUT_MS = 300_000;

const runs = new Map<string, Promise<PackagedService>>();

/** The service packaged with `options`, packaging it on the first call only. */
export function packagedService(options: PackageOptions = {}): Promise<PackagedService> {
  const key = JSON.stringify(options);
  let run = runs.get(key);
  if (!run) {
    run = packageService(options);
    runs.set(key, run);
  }
  return run;
}

/** Deletes every package this process made; for `afterAll`. */
export async function removePackagedServices(): Promise<void> {
  const made = [...runs.values()];
  runs.clear();
  const settled = await Promise.allSettled(made);
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.remove() : undefined)));
}
