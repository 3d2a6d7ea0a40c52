/**
 * The Lambda packages `serverless package` builds: every function's zip
 * stays within its size budget, carries its bundle and nothing else, and the
 * bundle loads on its own in a fresh Node process and exposes its handler.
 * Sizes are deterministic, so a budget is a fair test; times are not, and
 * `bench/bundles.ts` prints them instead.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInFreshNode } from '../../../bench/support/bundle-import.js';
import type { PackagedFunction, PackagedService } from '../../../bench/support/bundle-package.js';
import { projectRoot, readServerlessYml } from '../../../local/http-api/serverless-yml.js';
import { PACKAGING_TIMEOUT_MS, packagedService, removePackagedServices } from './package-once.js';

/** The largest zip a function may deploy as (docs/PERFORMANCE.md, "Lambda packages"). */
const ZIP_BUDGET_BYTES = 300 * 1024;

const functionNames = Object.keys((await readServerlessYml()).functions ?? {}).sort();

/** `import { z } from 'zod'` (or a default import): the specifiers a file imports from zod as values. */
function zodValueImports(source: string): string[] {
  const imports = source.matchAll(/^import\s+(?!type\s)([^;]*?)\s+from\s+'zod';/gm);
  return [...imports].flatMap(([, clause = '']) => {
    if (clause.startsWith('* as')) return [];
    const named = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
    const defaultImport = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, '')
      .trim();
    return [
      ...(defaultImport ? [`default as ${defaultImport}`] : []),
      ...named
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s === 'z' || /^z\s+as\s/.test(s)),
    ];
  });
}

async function lambdaSources(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['lib', 'functions']) {
    const entries = await readdir(join(projectRoot, dir), { recursive: true });
    files.push(...entries.filter((f) => f.endsWith('.ts')).map((f) => join(projectRoot, dir, f)));
  }
  return files;
}

describe('Lambda packages', () => {
  let service: PackagedService;
  const packaged = (name: string): PackagedFunction => {
    const fn = service.functions.find((f) => f.name === name);
    if (!fn) throw new Error(`no package for ${name}`);
    return fn;
  };

  beforeAll(async () => {
    service = await packagedService();
  }, PACKAGING_TIMEOUT_MS);

  afterAll(removePackagedServices);

  it('packages every function serverless.yml declares', () => {
    expect(service.functions.map((f) => f.name)).toEqual(functionNames);
  });

  it.each(functionNames)('packages %s into a zip of at most 300 KB', (name) => {
    expect(packaged(name).zipBytes).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
  });

  it.each(functionNames)('zips %s with its handler bundle and no other file', (name) => {
    const fn = packaged(name);
    const handlerModule = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.mjs`;
    expect(fn.entries.map((e) => e.name)).toEqual([handlerModule]);
  });

  it.each(functionNames)(
    'loads the bundle of %s in a fresh Node process, with nothing beside it, and exposes its handler',
    async (name) => {
      const sample = await importInFreshNode(packaged(name));
      expect(sample.exportType).toBe('function');
    },
  );

  it('answers a malformed request from a bundled API handler with 400 naming the field', async () => {
    const sample = await importInFreshNode(packaged('getJobTemplate'), {
      invokeWith: {
        version: '2.0',
        routeKey: 'GET /job-templates/{jobTemplateId}',
        rawPath: '/job-templates/not%20valid',
        headers: {},
        pathParameters: { jobTemplateId: 'not valid' },
        requestContext: { requestId: 'bundle-probe', timeEpoch: 0, http: { method: 'GET' } },
        isBase64Encoded: false,
      },
    });
    expect(sample.invoked).toMatchObject({ returned: { statusCode: 400 } });
    const { returned } = sample.invoked as { returned: { body: string } };
    expect(JSON.parse(returned.body)).toMatchObject({
      code: 'ValidationError',
      details: [expect.objectContaining({ path: 'jobTemplateId' })],
    });
  });

  it('keeps the error names Step Functions matches through minification', async () => {
    const sample = await importInFreshNode(packaged('checkWave'), { invokeWith: { state: {} } });
    expect(sample.invoked).toMatchObject({ threw: { name: 'ValidationError' } });
  });
});

describe('Lambda code', () => {
  it('imports zod as a namespace, so each bundle keeps only the schemas it uses', async () => {
    // A named or default import of `z` is the whole library as one object: esbuild cannot drop
    // what is unused, and every bundle grows by about 350 KB (every locale included).
    const offenders: string[] = [];
    for (const file of await lambdaSources()) {
      const imports = zodValueImports(await readFile(file, 'utf8'));
      if (imports.length > 0) offenders.push(`${relative(projectRoot, file)}: ${imports.join(', ')}`);
    }
    expect(offenders, "use `import * as z from 'zod'`").toEqual([]);
  });
});
