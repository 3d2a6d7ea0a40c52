/**
 * The Lambda packages `serverless package` builds: every function's zip
 * stays within its size budget, carries its bundle and nothing else, and the
 * bundle loads on its own in a fresh Node process and exposes its handler.
 * Sizes are deterministic, so a budget is a fair test; times are not, and
 * `bench/bundles.ts` prints them instead.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, relative } from 'node:path';
import { CreateJobTemplateCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInFreshNode } from '../../../bench/support/bundle-import.js';
import type { PackagedFunction, PackagedService } from '../../../bench/support/bundle-package.js';
import { closeServer, listen } from '../../../local/aws-endpoint/listen.js';
import { projectRoot, readServerlessYml } from '../../../local/serverless-yml.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
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

  /**
   * Calls the packaged getJobTemplate handler in a fresh Node process; its answer with the body
   * parsed. `credentials`: the variables that give it credentials (static keys, as Lambda sets, by default).
   */
  async function invokeGetJobTemplate(
    jobTemplateId: string,
    iotEndpoint?: string,
    credentials: Record<string, string> = {
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    },
  ): Promise<{ statusCode: number; body: unknown }> {
    const sample = await importInFreshNode(packaged('getJobTemplate'), {
      invokeWith: {
        version: '2.0',
        routeKey: 'GET /job-templates/{jobTemplateId}',
        rawPath: `/job-templates/${encodeURIComponent(jobTemplateId)}`,
        headers: {},
        pathParameters: { jobTemplateId },
        requestContext: { requestId: 'bundle-probe', timeEpoch: 0, http: { method: 'GET' } },
        isBase64Encoded: false,
      },
      env: {
        ...credentials,
        AWS_MAX_ATTEMPTS: '1',
        ...(iotEndpoint && { AWS_ENDPOINT_URL_IOT: iotEndpoint }),
      },
    });
    if (!sample.invoked || !('returned' in sample.invoked)) {
      throw new Error(`getJobTemplate did not answer: ${JSON.stringify(sample.invoked)}`);
    }
    const { statusCode, body } = sample.invoked.returned as { statusCode: number; body?: string };
    return { statusCode, body: body === undefined ? undefined : JSON.parse(body) };
  }

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

  it.each(functionNames)('leaves out of %s the IoT operations no function sends', (name) => {
    // Each IoT operation's schema names its REST route; a bundle carrying the route of
    // ValidateSecurityProfileBehaviors carries the whole IoT model (see build/esbuild-plugins.mjs).
    const bundle = readFileSync(packaged(name).modulePath, 'utf8');
    expect(bundle).not.toContain('/security-profile-behaviors/validate');
  });

  it.each(functionNames)('bundles into %s only the credential providers Lambda can use', (name) => {
    // Lambda gives credentials in environment variables; the SDK's other providers (SSO, shared
    // files, credential_process, web identity) come with nested STS and SSO clients and
    // node:child_process (see build/esbuild-plugins.mjs).
    const bundle = readFileSync(packaged(name).modulePath, 'utf8');
    expect(bundle).not.toContain('AssumeRoleWithWebIdentity');
    expect(bundle).not.toContain('credential_process');
    expect(bundle).not.toContain('node:child_process');
  });

  it.each(functionNames)('loads every module of %s at import, none with import()', (name) => {
    // esbuild bundles `import()` of a module as a lazy initialiser wrapping it and everything it
    // shares with the rest of the bundle, which V8 then parses twice (see build/esbuild-plugins.mjs).
    const bundle = readFileSync(packaged(name).modulePath, 'utf8');
    expect(bundle.match(/Promise\.resolve\(\)\.then\(\(\)=>\([\w$]+\(\),[\w$]+\)\)/g)).toBeNull();
    // Nor a dynamic import of a package left as it is (Node's built-ins are loaded lazily by the SDK
    // and cost nothing to parse), or one of a CommonJS module (`__toESM(require_x())`).
    expect(bundle.match(/\bimport\((?!"node:)/g)).toBeNull();
    expect(bundle.match(/Promise\.resolve\(\)\.then\(\(\)=>[\w$]+\([\w$]+\(\)\)\)/g)).toBeNull();
  });

  it('answers a malformed request from a bundled API handler with 400 naming the field', async () => {
    const answer = await invokeGetJobTemplate('not valid');
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'ValidationError',
      details: [expect.objectContaining({ path: 'jobTemplateId' })],
    });
  });

  describe('against the local IoT endpoint', () => {
    let iot: IotEndpoint;
    beforeAll(async () => {
      iot = await startIotEndpoint();
      await iot.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: 'bundled',
          description: 'From a bundle',
          document: '{}',
        }),
      );
    });
    afterAll(() => iot.close());

    it('reads a job template through the bundled SDK client', async () => {
      const answer = await invokeGetJobTemplate('bundled', iot.url);
      expect(answer).toMatchObject({
        statusCode: 200,
        body: { jobTemplateId: 'bundled', description: 'From a bundle', document: '{}' },
      });
    });

    it("maps IoT's ResourceNotFoundException, parsed by the bundled SDK, to 404", async () => {
      const answer = await invokeGetJobTemplate('missing', iot.url);
      expect(answer).toMatchObject({ statusCode: 404, body: { code: 'NotFoundError' } });
    });

    it("signs with Lambda's environment credentials, session token included, even beside a container endpoint", async () => {
      const tokens: (string | undefined)[] = [];
      const recordingIot = createServer((req, res) => {
        tokens.push(req.headers['x-amz-security-token'] as string | undefined);
        req.resume();
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ResourceNotFoundException',
        });
        res.end(JSON.stringify({ message: 'The job template does not exist.' }));
      });
      const port = await listen(recordingIot, 0, '127.0.0.1');
      try {
        const answer = await invokeGetJobTemplate('recorded', `http://127.0.0.1:${port}`, {
          AWS_ACCESS_KEY_ID: 'ASIALAMBDA',
          AWS_SECRET_ACCESS_KEY: 'lambda-secret',
          AWS_SESSION_TOKEN: 'lambda-session-token',
          // Never asked: the environment's keys come first, as in the SDK's own chain.
          AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/never',
        });
        expect(answer).toMatchObject({ statusCode: 404 });
        expect(tokens).toEqual(['lambda-session-token']);
      } finally {
        await closeServer(recordingIot);
      }
    });

    it('takes credentials from a container credentials endpoint when the environment has no keys', async () => {
      const requests: (string | undefined)[] = [];
      const credentialsServer = createServer((req, res) => {
        requests.push(req.headers.authorization);
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            AccessKeyId: 'ASIACONTAINER',
            SecretAccessKey: 'container-secret',
            Token: 'container-token',
            Expiration: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        );
      });
      const port = await listen(credentialsServer, 0, '127.0.0.1');
      try {
        const answer = await invokeGetJobTemplate('bundled', iot.url, {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/credentials`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth',
        });
        expect(answer).toMatchObject({ statusCode: 200, body: { jobTemplateId: 'bundled' } });
        expect(requests).toEqual(['container-auth']);
      } finally {
        await closeServer(credentialsServer);
      }
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
