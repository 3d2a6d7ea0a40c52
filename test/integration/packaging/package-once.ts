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
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
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

/** A packaged template's resources, looked up by logical id or by type. */
export interface PackagedTemplate<R> {
  /** The resource `logicalId`; throws when the template has none. */
  resource(logicalId: string): R;
  /** Every resource of `type`, as `[logicalId, resource]`. */
  ofType(type: string): [string, R][];
}

/**
 * Packages the service (default options) before the calling file's tests
 * and removes the package after them; the returned lookups read its
 * CloudFormation template.
 */
export function usePackagedTemplate<R extends { Type: string }>(): PackagedTemplate<R> {
  let resources: Record<string, R> | undefined;
  beforeAll(async () => {
    const service = await packagedService();
    const template = JSON.parse(
      await readFile(join(service.packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as { Resources: Record<string, R> };
    resources = template.Resources;
  }, PACKAGING_TIMEOUT_MS);
  afterAll(removePackagedServices);
  const all = () => {
    if (!resources) throw new Error('the service is not packaged yet');
    return resources;
  };
  return {
    resource(logicalId) {
      const found = all()[logicalId];
      if (!found) throw new Error(`the template has no ${logicalId}`);
      return found;
    },
    ofType: (type) => Object.entries(all()).filter(([, r]) => r.Type === type),
  };
}
