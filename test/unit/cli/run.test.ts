/** The command line end to end in-process, with a fake fetch: help, usage errors, API errors, --json. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../cli/exit-codes.js';
import { fakeFetch, run } from './support/fake-io.js';

const refused = (async () => {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
  });
}) as typeof fetch;

describe('help', () => {
  it('prints the commands, exit codes and environment for --help, on stdout, exit 0', async () => {
    const { code, out, err } = await run(['--help']);
    expect(code).toBe(ExitCode.OK);
    expect(err).toBe('');
    for (const text of [
      'releases create',
      'templates list',
      'local',
      'FLEETWAVE_API_URL',
      '124  watch --timeout',
    ])
      expect(out).toContain(text);
  });

  it('prints every command help with examples: --help and the help command agree', async () => {
    const a = await run(['releases', 'create', '--help']);
    const b = await run(['help', 'releases', 'create']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).toContain('Usage: fleetwave releases create [options]');
    expect(a.out).toContain('--waves PERCENTS');
    expect(a.out).toContain('Examples:');
  });

  it('lists a group for a group name with --help', async () => {
    const { code, out } = await run(['releases', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('releases watch');
    expect(out).not.toContain('templates create');
  });
});

describe('usage errors: exit 64, the message and the usage on stderr', () => {
  it('an unknown command, with a suggestion', async () => {
    const { code, out, err } = await run(['relases', 'list']);
    expect(code).toBe(ExitCode.USAGE);
    expect(out).toBe('');
    expect(err).toContain("fleetwave: error: unknown command 'relases'. Did you mean 'releases'?");
    expect(err).toContain('Usage: fleetwave <command> [options]');
  });

  it('an unknown subcommand, with the group usage', async () => {
    const { code, err } = await run(['releases', 'wacth', 'r1']);
    expect(code).toBe(ExitCode.USAGE);
    expect(err).toContain("unknown command 'releases wacth'. Did you mean 'releases watch'?");
    expect(err).toContain('Usage: fleetwave releases <command> [options]');
  });

  it('an unknown option, with the command usage', async () => {
    const { code, err } = await run(['releases', 'create', '--wave', '1,100']);
    expect(code).toBe(ExitCode.USAGE);
    expect(err).toContain(
      "fleetwave releases create: error: unknown option '--wave'. Did you mean '--waves'?",
    );
    expect(err).toContain('Usage: fleetwave releases create [options]');
  });

  it('a bad value found while the command runs', async () => {
    const { code, err } = await run(['templates', 'list', '--limit', '0']);
    expect(code).toBe(ExitCode.USAGE);
    expect(err).toContain("--limit must be an integer from 1 to 250 (got '0')");
  });

  it('a malformed --api-url', async () => {
    const { code, err } = await run(['templates', 'list', '--api-url', 'localhost:3000']);
    expect(code).toBe(ExitCode.USAGE);
    expect(err).toContain('--api-url must be an http(s) URL');
  });

  it('no command at all', async () => {
    const { code, err } = await run([]);
    expect(code).toBe(ExitCode.USAGE);
    expect(err).toContain('missing command');
  });
});

describe('API errors', () => {
  it('unreachable: says where it looked and what to do, exit 69', async () => {
    const { code, err } = await run(['templates', 'list'], { fetch: refused });
    expect(code).toBe(ExitCode.API_UNREACHABLE);
    expect(err).toContain(
      'Cannot reach the fleetwave API at http://127.0.0.1:3000 (connection refused). Start the local stack with `npm start`',
    );
    expect(err).toContain('set --api-url / FLEETWAVE_API_URL');
  });

  it('a 400 prints every field path and message, exit 4', async () => {
    const fetch = fakeFetch(() => ({
      status: 400,
      body: {
        code: 'ValidationError',
        message: 'Invalid request.',
        details: [
          { path: 'waves.2.percentage', message: 'must be at most 100' },
          { path: '', message: 'must be a JSON object' },
        ],
      },
    }));
    const { code, err } = await run(
      ['releases', 'create', '--template', 'fw', '--targets', 'g', '--waves', '1,100'],
      { fetch },
    );
    expect(code).toBe(ExitCode.API_REFUSED);
    expect(err).toContain('the API answered 400 ValidationError: Invalid request.');
    expect(err).toContain('  waves.2.percentage: must be at most 100');
    expect(err).toContain('  (request body): must be a JSON object');
  });

  it('with --json, the error is also JSON on stdout', async () => {
    const fetch = fakeFetch(() => ({
      status: 404,
      body: { code: 'NotFoundError', message: 'no template x' },
    }));
    const { code, out } = await run(['templates', 'get', 'x', '--json'], { fetch });
    expect(code).toBe(ExitCode.API_REFUSED);
    expect(JSON.parse(out)).toEqual({
      error: { code: 'NotFoundError', message: 'no template x', status: 404 },
    });
  });

  it('API Gateway’s own 404 points at the URL', async () => {
    const fetch = fakeFetch(() => ({ status: 404, body: { message: 'Not Found' } }));
    const { err } = await run(['templates', 'list', '--api-url', 'http://127.0.0.1:9/prod'], { fetch });
    expect(err).toContain('Not Found (no such route at http://127.0.0.1:9/prod; is --api-url right?)');
  });

  it('a 5xx is exit 5', async () => {
    const fetch = fakeFetch(() => ({ status: 502, body: { code: 'UpstreamError', message: 'try later' } }));
    expect((await run(['templates', 'list'], { fetch })).code).toBe(ExitCode.API_FAILED);
  });
});

describe('connection settings', () => {
  it('sends the token as a bearer header, flag over environment, URL from the environment', async () => {
    const fetch = fakeFetch(() => ({ status: 200, body: { items: [] } }));
    await run(['templates', 'list'], {
      fetch,
      env: { FLEETWAVE_API_URL: 'http://127.0.0.1:4000/', FLEETWAVE_API_TOKEN: 'from-env' },
    });
    await run(['templates', 'list', '--token', 'from-flag'], {
      fetch,
      env: { FLEETWAVE_API_TOKEN: 'from-env' },
    });
    expect(fetch.calls[0]?.headers.get('authorization')).toBe('Bearer from-env');
    expect(fetch.calls[1]?.headers.get('authorization')).toBe('Bearer from-flag');
  });

  it('sends no Authorization header without a token', async () => {
    const fetch = fakeFetch(() => ({ status: 200, body: { items: [] } }));
    await run(['templates', 'list'], { fetch, env: { FLEETWAVE_API_TOKEN: '' } });
    expect(fetch.calls[0]?.headers.has('authorization')).toBe(false);
  });
});

describe('templates', () => {
  it('create: builds the body from flags, the document compacted, and prints the result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetwave-cli-'));
    const documentFile = join(dir, 'job.json');
    await writeFile(documentFile, '{\n  "operation": "install",\n  "version": "2.4"\n}\n');
    const fetch = fakeFetch(() => ({ status: 201, body: { jobTemplateId: 'fw', jobTemplateArn: 'arn:x' } }));
    const { code, out } = await run(
      ['templates', 'create', '--id', 'fw', '--description', 'Firmware', '--document-file', documentFile],
      { fetch },
    );
    expect(code).toBe(0);
    expect(fetch.calls[0]?.body).toEqual({
      jobTemplateId: 'fw',
      description: 'Firmware',
      document: '{"operation":"install","version":"2.4"}',
    });
    expect(out).toBe('Created job template fw (arn:x)\n');
  });

  it('create: a YAML request body from stdin, flags winning, and the document flag replacing the file’s', async () => {
    const fetch = fakeFetch(() => ({
      status: 201,
      body: { jobTemplateId: 'fw-2', jobTemplateArn: 'arn:x' },
    }));
    const stdin =
      'jobTemplateId: fw-1\ndescription: from yaml\ndocument: "{}"\ntimeoutConfig:\n  inProgressTimeoutInMinutes: 30\n';
    await run(['templates', 'create', '-f', '-', '--id', 'fw-2', '--document-source', 's3://b/k'], {
      fetch,
      stdin,
    });
    expect(fetch.calls[0]?.body).toEqual({
      jobTemplateId: 'fw-2',
      description: 'from yaml',
      documentSource: 's3://b/k',
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    });
  });

  it('create: a missing file is exit 66, invalid YAML exit 65 with the line', async () => {
    const missing = await run(['templates', 'create', '-f', '/nonexistent/t.yaml']);
    expect(missing.code).toBe(ExitCode.NO_INPUT);
    expect(missing.err).toContain('cannot read /nonexistent/t.yaml: no such file');
    const bad = await run(['templates', 'create', '-f', '-'], { stdin: 'a: 1\n b: [\n' });
    expect(bad.code).toBe(ExitCode.DATA);
    expect(bad.err).toMatch(/standard input is not valid YAML at line \d+, column \d+/);
  });

  it('create: without a file, names the missing flags', async () => {
    const { code, err } = await run(['templates', 'create', '--id', 'fw']);
    expect(code).toBe(ExitCode.USAGE);
    expect(err).toContain('missing --description, --document-file or --document-source');
  });

  it('list --all follows nextToken to the last page', async () => {
    const fetch = fakeFetch(({ url }) =>
      url.searchParams.get('nextToken') === 'p2'
        ? { status: 200, body: { items: [{ jobTemplateId: 'b' }] } }
        : { status: 200, body: { items: [{ jobTemplateId: 'a' }], nextToken: 'p2' } },
    );
    const { out } = await run(['templates', 'list', '--all', '--limit', '1', '--json'], { fetch });
    expect(JSON.parse(out)).toEqual({ items: [{ jobTemplateId: 'a' }, { jobTemplateId: 'b' }] });
    expect(fetch.calls.map((c) => c.path)).toEqual([
      '/job-templates?limit=1',
      '/job-templates?limit=1&nextToken=p2',
    ]);
  });

  it('list without --all prints one page and how to get the next, on stderr', async () => {
    const fetch = fakeFetch(() => ({
      status: 200,
      body: {
        items: [{ jobTemplateId: 'a', createdAt: '2026-01-01T00:00:00.000Z', description: 'A' }],
        nextToken: 't/2',
      },
    }));
    const { out, err } = await run(['templates', 'list'], { fetch });
    expect(out).toBe('ID  CREATED                   DESCRIPTION\na   2026-01-01T00:00:00.000Z  A\n');
    expect(err).toContain("fleetwave templates list --next-token 't/2'");
  });

  it('get and delete encode the id in the path', async () => {
    const fetch = fakeFetch(({ method }) =>
      method === 'DELETE'
        ? { status: 204 }
        : { status: 200, body: { jobTemplateId: 'a b', document: '{"x":1}' } },
    );
    const got = await run(['templates', 'get', 'a b'], { fetch });
    expect(got.out).toContain('document:\n  {\n    "x": 1\n  }');
    const deleted = await run(['templates', 'delete', 'a b', '--json'], { fetch });
    expect(JSON.parse(deleted.out)).toEqual({ jobTemplateId: 'a b', deleted: true });
    expect(fetch.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /job-templates/a%20b',
      'DELETE /job-templates/a%20b',
    ]);
  });
});

describe('release actions', () => {
  const view = (status: string) => ({
    status: 200,
    body: { release: { releaseId: 'rel-1', status, waves: [{ percentage: 100 }] }, waves: [] },
  });

  it('cancel retried after a 502 and refused as already CANCELED reports the cancel, exit 0', async () => {
    let posts = 0;
    const fetch = fakeFetch(({ method }) => {
      if (method === 'GET') return view('CANCELED');
      return ++posts === 1
        ? { status: 502, body: { code: 'UpstreamError', message: 'A service fleetwave depends on failed.' } }
        : { status: 409, body: { code: 'ConflictError', message: 'Release rel-1 is already CANCELED.' } };
    });
    const { code, out, io } = await run(['releases', 'cancel', 'rel-1', '--force'], { fetch });
    expect(code).toBe(ExitCode.OK);
    expect(out).toBe('Canceled release rel-1: now CANCELED\n');
    expect(io.sleeps).toEqual([1000]);
    expect(fetch.calls.map((c) => c.method)).toEqual(['POST', 'POST', 'GET']);
  });

  it('a cancel refused at the first attempt stays refused, exit 4', async () => {
    const fetch = fakeFetch(() => ({
      status: 409,
      body: {
        code: 'ConflictError',
        message: 'Release rel-1 is SUCCEEDED; only a release that has not finished can be canceled.',
      },
    }));
    const { code, err } = await run(['releases', 'cancel', 'rel-1'], { fetch });
    expect(code).toBe(ExitCode.API_REFUSED);
    expect(err).toContain('409 ConflictError: Release rel-1 is SUCCEEDED');
    expect(fetch.calls).toHaveLength(1);
  });

  it('an approval is sent once: a 502 is reported, not retried', async () => {
    const fetch = fakeFetch(() => ({ status: 502, body: { code: 'UpstreamError', message: 'failed' } }));
    const { code } = await run(['releases', 'approve', 'rel-1', '--comment', 'ok'], { fetch });
    expect(code).toBe(ExitCode.API_FAILED);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]?.body).toEqual({ comment: 'ok' });
  });
});
