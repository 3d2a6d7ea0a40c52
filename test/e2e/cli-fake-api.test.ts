/**
 * The CLI over real HTTP against a fake API on loopback: the connection
 * failure and its advice, field errors, the bearer token, and `releases
 * watch` ending in each outcome with its exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../cli/api/http-fetch.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { run } from '../unit/cli/support/fake-io.js';
import { deadApiUrl, type FakeAnswer, type FakeApi, startFakeApi } from './cli-fake-api.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(async () => {
  await api.close();
});

/** Runs the CLI on a fake terminal-less io with its own HTTP transport, against the fake API. */
const cli = (argv: string[], options: { env?: Record<string, string>; tty?: boolean } = {}) =>
  run([...argv, '--api-url', api.url], { fetch: httpFetch, ...options });

function releaseAt(status: string, waves: { status: string; ok: number; failed: number; running: number }[]) {
  return {
    status: 200,
    body: {
      release: {
        releaseId: 'rel-7',
        status,
        jobTemplateId: 'fw',
        currentWave: Math.max(1, waves.filter((w) => w.status !== 'PENDING').length),
        waves: waves.map((_, i) => ({ percentage: i === waves.length - 1 ? 100 : 10 * (i + 1) })),
      },
      waves: waves.map((w, i) => ({
        waveNumber: i + 1,
        status: w.status,
        expectedThings: w.ok + w.failed + w.running,
        counts: {
          numberOfSucceededThings: w.ok,
          numberOfFailedThings: w.failed,
          numberOfInProgressThings: w.running,
        },
      })),
    },
  };
}

/** Serves the release answers in turn on GET /releases/rel-7 (the last one repeats). */
function serveRelease(answers: FakeAnswer[]) {
  let polls = 0;
  api.handle((req) =>
    req.url === '/releases/rel-7'
      ? (answers[Math.min(polls++, answers.length - 1)] as FakeAnswer)
      : { status: 404, body: { message: 'Not Found' } },
  );
}

const running = { status: 'IN_PROGRESS', ok: 3, failed: 0, running: 7 };
const done = { status: 'SUCCEEDED', ok: 10, failed: 0, running: 0 };
const pending = { status: 'PENDING', ok: 0, failed: 0, running: 0 };

describe('CLI against a fake API over HTTP', () => {
  it('API down: the helpful error naming the URL, exit 69', async () => {
    const url = await deadApiUrl();
    const { code, err } = await run(['templates', 'list', '--api-url', url], { fetch: httpFetch });
    expect(code).toBe(ExitCode.API_UNREACHABLE);
    expect(err).toContain(
      `Cannot reach the fleetwave API at ${url} (connection refused). Start the local stack with \`npm start\` (or \`fleetwave local\`), or set --api-url / FLEETWAVE_API_URL.`,
    );
  });

  it('API 400: every field error printed with its path, exit 4', async () => {
    api.handle(() => ({
      status: 400,
      body: {
        code: 'ValidationError',
        message: 'The release request is invalid.',
        details: [
          { path: 'waves.1.percentage', message: 'the last percentage wave must be 100' },
          { path: 'jobTemplateId', message: 'must match [a-zA-Z0-9_-]+' },
        ],
      },
    }));
    const { code, err } = await cli([
      'releases',
      'create',
      '--template',
      'fw 2',
      '--targets',
      'g',
      '--waves',
      '1,50',
    ]);
    expect(code).toBe(ExitCode.API_REFUSED);
    expect(err).toContain(
      'fleetwave releases create: error: the API answered 400 ValidationError: The release request is invalid.',
    );
    expect(err).toContain(
      '  waves.1.percentage: the last percentage wave must be 100\n  jobTemplateId: must match [a-zA-Z0-9_-]+',
    );
    expect(api.requests.at(-1)?.body).toEqual({
      jobTemplateId: 'fw 2',
      targets: { thingGroups: ['g'] },
      waves: [{ percentage: 1 }, { percentage: 50 }],
    });
  });

  it('sends FLEETWAVE_API_TOKEN as a bearer token and reads a 401 as refused', async () => {
    api.handle((req) =>
      req.headers.authorization === 'Bearer s3cret'
        ? { status: 200, body: { items: [] } }
        : { status: 401, body: { code: 'UnauthorizedError', message: 'Missing or wrong API token.' } },
    );
    expect((await cli(['releases', 'list'], { env: { FLEETWAVE_API_TOKEN: 's3cret' } })).code).toBe(
      ExitCode.OK,
    );
    const refused = await cli(['releases', 'list'], { env: { FLEETWAVE_API_TOKEN: 'wrong' } });
    expect(refused.code).toBe(ExitCode.API_REFUSED);
    expect(refused.err).toContain('401 UnauthorizedError: Missing or wrong API token.');
  });

  it('watch: SUCCEEDED exits 0 after following the waves', async () => {
    serveRelease([
      releaseAt('IN_PROGRESS', [running, pending]),
      releaseAt('IN_PROGRESS', [done, running]),
      releaseAt('SUCCEEDED', [done, done]),
    ]);
    const { code, out } = await cli(['releases', 'watch', 'rel-7', '--interval', '100ms']);
    expect(code).toBe(ExitCode.OK);
    expect(out).toContain('wave 1 (10%) IN_PROGRESS: 3/10 ok, 0 failed, 7 running');
    expect(out).toContain('wave 2 (100%) SUCCEEDED: 10/10 ok, 0 failed, 0 running');
    expect(out).toContain('release rel-7 IN_PROGRESS -> SUCCEEDED');
  });

  it('watch: FAILED exits 1', async () => {
    serveRelease([
      releaseAt('IN_PROGRESS', [running]),
      releaseAt('FAILED', [{ status: 'FAILED', ok: 5, failed: 5, running: 0 }]),
    ]);
    expect((await cli(['releases', 'watch', 'rel-7', '--interval', '100ms'])).code).toBe(
      ExitCode.RELEASE_FAILED,
    );
  });

  it('watch: CANCELED exits 2', async () => {
    serveRelease([releaseAt('CANCELED', [{ status: 'CANCELED', ok: 1, failed: 0, running: 0 }])]);
    expect((await cli(['releases', 'watch', 'rel-7'])).code).toBe(ExitCode.RELEASE_CANCELED);
  });

  it('watch: WAITING_APPROVAL with --no-wait-approval exits 3', async () => {
    serveRelease([
      releaseAt('IN_PROGRESS', [running, pending]),
      releaseAt('WAITING_APPROVAL', [done, pending]),
    ]);
    const { code, err } = await cli([
      'releases',
      'watch',
      'rel-7',
      '--interval',
      '100ms',
      '--no-wait-approval',
    ]);
    expect(code).toBe(ExitCode.RELEASE_WAITING_APPROVAL);
    expect(err).toContain('fleetwave releases approve rel-7');
  });

  it('watch --json: one JSON line per change, nothing else on stdout', async () => {
    serveRelease([
      releaseAt('IN_PROGRESS', [running]),
      releaseAt('IN_PROGRESS', [running]),
      releaseAt('SUCCEEDED', [done]),
    ]);
    const { code, out } = await cli(['releases', 'watch', 'rel-7', '--interval', '100ms', '--json']);
    expect(code).toBe(ExitCode.OK);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.release.status)).toEqual(['IN_PROGRESS', 'SUCCEEDED']);
  });

  it('cancel --force and approve send the documented bodies and print the status the API answers', async () => {
    api.handle((req) =>
      req.url.endsWith('/cancel')
        ? releaseAt('CANCELED', [{ status: 'CANCELED', ok: 3, failed: 0, running: 0 }])
        : releaseAt('IN_PROGRESS', [done, running]),
    );
    const canceled = await cli(['releases', 'cancel', 'rel-7', '--force', '--comment', 'battery drain']);
    const approved = await cli(['releases', 'approve', 'rel-7']);
    expect([canceled.code, approved.code]).toEqual([ExitCode.OK, ExitCode.OK]);
    expect(canceled.out).toBe('Canceled release rel-7: now CANCELED\n');
    expect(approved.out).toBe('Approved release rel-7: now IN_PROGRESS\n');
    expect(api.requests.slice(-2).map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/releases/rel-7/cancel', { comment: 'battery drain', force: true }],
      ['POST', '/releases/rel-7/approve', {}],
    ]);
  });
});
