/**
 * `fleetwave templates ...` end to end: the CLI in-process, HTTP to the local
 * stack's REST API, the real handlers, the local IoT endpoint.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../cli/api/http-fetch.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { useLocalStack } from '../support/local-stack.js';
import { run } from '../unit/cli/support/fake-io.js';

describe('fleetwave templates against the local stack', () => {
  const stack = useLocalStack();
  const cli = (argv: string[], stdin?: string) =>
    run(argv, { fetch: httpFetch, env: { FLEETWAVE_API_URL: stack().apiUrl }, stdin });
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetwave-cli-e2e-'));
    await writeFile(
      join(dir, 'job.json'),
      JSON.stringify({ operation: 'install', version: '2.4.0' }, null, 2),
    );
    await writeFile(
      join(dir, 'template.yaml'),
      [
        'description: Firmware 2.4 for the door controllers',
        'timeoutConfig:',
        '  inProgressTimeoutInMinutes: 30',
        'jobExecutionsRetryConfig:',
        '  criteriaList:',
        '    - failureType: TIMED_OUT',
        '      numberOfRetries: 2',
      ].join('\n'),
    );
  });

  it('creates a template from flags and a document file, and describes it', async () => {
    const created = await cli([
      'templates',
      'create',
      '--id',
      'fw-cli-1',
      '--description',
      'from the CLI',
      '--document-file',
      join(dir, 'job.json'),
    ]);
    expect(created.code).toBe(ExitCode.OK);
    expect(created.out).toBe(
      `Created job template fw-cli-1 (arn:aws:iot:${stack().region}:${stack().accountId}:jobtemplate/fw-cli-1)\n`,
    );
    const got = await cli(['templates', 'get', 'fw-cli-1', '--json']);
    expect(got.code).toBe(ExitCode.OK);
    expect(JSON.parse(got.out)).toMatchObject({
      jobTemplateId: 'fw-cli-1',
      description: 'from the CLI',
      document: '{"operation":"install","version":"2.4.0"}',
    });
  });

  it('creates a template from a YAML body with the id and document from flags', async () => {
    const { code } = await cli([
      'templates',
      'create',
      '-f',
      join(dir, 'template.yaml'),
      '--id',
      'fw-cli-yaml',
      '--document-file',
      join(dir, 'job.json'),
    ]);
    expect(code).toBe(ExitCode.OK);
    const got = JSON.parse((await cli(['templates', 'get', 'fw-cli-yaml', '--json'])).out);
    expect(got.timeoutConfig).toEqual({ inProgressTimeoutInMinutes: 30 });
    expect(got.jobExecutionsRetryConfig).toEqual({
      criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }],
    });
  });

  it('prints every field the API refuses, exit 4', async () => {
    const { code, err } = await cli(
      ['templates', 'create', '-f', '-', '--id', 'bad id!'],
      JSON.stringify({ description: 'x', document: '{}', timeoutConfig: { inProgressTimeoutInMinutes: 0 } }),
    );
    expect(code).toBe(ExitCode.API_REFUSED);
    expect(err).toContain('the API answered 400 ValidationError');
    expect(err).toMatch(/\n {2}jobTemplateId: /);
    expect(err).toMatch(/\n {2}timeoutConfig\.inProgressTimeoutInMinutes: must be at least 1/);
  });

  it('refuses a template id that exists, exit 4', async () => {
    const argv = [
      'templates',
      'create',
      '--id',
      'fw-cli-dup',
      '--description',
      'd',
      '--document-file',
      join(dir, 'job.json'),
    ];
    expect((await cli(argv)).code).toBe(ExitCode.OK);
    const again = await cli(argv);
    expect(again.code).toBe(ExitCode.API_REFUSED);
    expect(again.err).toContain('409 ConflictError');
  });

  it('lists every template across pages with --all', async () => {
    for (const id of ['fw-page-a', 'fw-page-b', 'fw-page-c'])
      await cli([
        'templates',
        'create',
        '--id',
        id,
        '--description',
        id,
        '--document-file',
        join(dir, 'job.json'),
      ]);
    const { code, out } = await cli(['templates', 'list', '--all', '--limit', '2', '--json']);
    expect(code).toBe(ExitCode.OK);
    const ids = (JSON.parse(out) as { items: { jobTemplateId: string }[] }).items.map((t) => t.jobTemplateId);
    expect(ids).toEqual(expect.arrayContaining(['fw-page-a', 'fw-page-b', 'fw-page-c', 'fw-cli-1']));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('deletes a template; describing it then is exit 4 with the API’s message', async () => {
    await cli([
      'templates',
      'create',
      '--id',
      'fw-cli-del',
      '--description',
      'd',
      '--document-file',
      join(dir, 'job.json'),
    ]);
    const deleted = await cli(['templates', 'delete', 'fw-cli-del']);
    expect(deleted.code).toBe(ExitCode.OK);
    expect(deleted.out).toBe('Deleted job template fw-cli-del\n');
    const gone = await cli(['templates', 'get', 'fw-cli-del']);
    expect(gone.code).toBe(ExitCode.API_REFUSED);
    expect(gone.err).toContain('404 NotFoundError');
  });
});
