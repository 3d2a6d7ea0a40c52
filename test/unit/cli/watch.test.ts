/** `releases watch` and `releases create --watch`: polling, exit codes, failures waited out, Ctrl-C. */
import { describe, expect, it } from 'vitest';
import { maxConsecutivePollFailures } from '../../../cli/commands/release-watch.js';
import { ExitCode } from '../../../cli/exit-codes.js';
import { runCli } from '../../../cli/run.js';
import { fakeFetch, fakeIo, run } from './support/fake-io.js';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

function releaseAnswer(
  status: string,
  waveStatus = status === 'SUCCEEDED' ? 'SUCCEEDED' : 'IN_PROGRESS',
): Answer {
  return {
    status: 200,
    body: {
      release: {
        releaseId: 'rel-1',
        status,
        jobTemplateId: 'fw',
        currentWave: 1,
        waves: [{ percentage: 100, requireApproval: true }],
        ...(status === 'FAILED' ? { statusReason: 'wave 1 failed: 3 of 10 failed' } : {}),
      },
      waves: [
        {
          waveNumber: 1,
          status: waveStatus,
          expectedThings: 10,
          counts: { numberOfSucceededThings: 7, numberOfFailedThings: 3 },
          ...(status === 'WAITING_APPROVAL' ? { waitingFor: 'APPROVAL' } : {}),
        },
      ],
    },
  };
}

/** A fetch that answers GET /releases/rel-1 from `script` in turn (the last answer repeats). */
function scripted(script: (Answer | Error)[]) {
  let i = 0;
  return fakeFetch(() => {
    const next = script[Math.min(i++, script.length - 1)] as Answer | Error;
    if (next instanceof Error) throw next;
    return next;
  });
}

const refusedError = () =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });

describe('watch exit codes', () => {
  it.each([
    ['SUCCEEDED', ExitCode.OK],
    ['FAILED', ExitCode.RELEASE_FAILED],
    ['CANCELED', ExitCode.RELEASE_CANCELED],
  ])('a release that ends %s exits %i', async (status, exitCode) => {
    const fetch = scripted([releaseAnswer('PENDING'), releaseAnswer('IN_PROGRESS'), releaseAnswer(status)]);
    const { code, err, io } = await run(['releases', 'watch', 'rel-1'], { fetch });
    expect(code).toBe(exitCode);
    expect(fetch.calls).toHaveLength(3);
    expect(io.sleeps).toEqual([2000, 2000]);
    expect(err).toContain(`Release rel-1 ${status} after 4s of watching`);
  });

  it('waits through WAITING_APPROVAL by default', async () => {
    const fetch = scripted([releaseAnswer('WAITING_APPROVAL'), releaseAnswer('SUCCEEDED')]);
    const { code, out } = await run(['releases', 'watch', 'rel-1'], { fetch });
    expect(code).toBe(ExitCode.OK);
    expect(out).toContain('Wave 1 waits for approval: fleetwave releases approve rel-1');
  });

  it('stops with exit 3 at an approval gate with --no-wait-approval', async () => {
    const fetch = scripted([releaseAnswer('IN_PROGRESS'), releaseAnswer('WAITING_APPROVAL')]);
    const { code, err } = await run(['releases', 'watch', 'rel-1', '--no-wait-approval'], { fetch });
    expect(code).toBe(ExitCode.RELEASE_WAITING_APPROVAL);
    expect(err).toContain('fleetwave releases approve rel-1');
  });

  it('polls at --interval and stops with exit 124 after --timeout', async () => {
    const fetch = scripted([releaseAnswer('IN_PROGRESS')]);
    const { code, err, io } = await run(
      ['releases', 'watch', 'rel-1', '--interval', '30s', '--timeout', '2m'],
      {
        fetch,
      },
    );
    expect(code).toBe(ExitCode.WATCH_TIMEOUT);
    expect(io.sleeps).toEqual([30_000, 30_000, 30_000, 30_000]);
    expect(err).toContain('Stopped watching after 2m 0s: release rel-1 has not ended; it goes on.');
  });

  it('Ctrl-C stops watching with exit 130 and says the release goes on', async () => {
    let sleeps = 0;
    const io = fakeIo({
      fetch: scripted([releaseAnswer('IN_PROGRESS')]),
      sleep: async () => {
        if (++sleeps === 2) io.interrupt();
      },
    });
    const code = await runCli(['releases', 'watch', 'rel-1'], io);
    expect(code).toBe(ExitCode.INTERRUPTED);
    expect(io.err).toContain(
      'Stopped watching; release rel-1 goes on. Cancel it with: fleetwave releases cancel rel-1',
    );
  });
});

describe('watch through failures', () => {
  it('waits out a few failed polls once the release was seen', async () => {
    const fetch = scripted([
      releaseAnswer('IN_PROGRESS'),
      refusedError(),
      { status: 503, body: { code: 'UpstreamError', message: 'try later' } },
      releaseAnswer('SUCCEEDED'),
    ]);
    const { code, err } = await run(['releases', 'watch', 'rel-1'], { fetch });
    expect(code).toBe(ExitCode.OK);
    expect(err).toContain(`poll failed (1 of ${maxConsecutivePollFailures}): Cannot reach the fleetwave API`);
    expect(err).toContain(`poll failed (2 of ${maxConsecutivePollFailures}): try later`);
  });

  it(`gives up after ${maxConsecutivePollFailures} failed polls in a row with the error's exit code`, async () => {
    const fetch = scripted([releaseAnswer('IN_PROGRESS'), refusedError()]);
    const { code } = await run(['releases', 'watch', 'rel-1'], { fetch });
    expect(code).toBe(ExitCode.API_UNREACHABLE);
    expect(fetch.calls).toHaveLength(1 + maxConsecutivePollFailures);
  });

  it('fails at once when the first poll fails: API down, or no such release', async () => {
    expect((await run(['releases', 'watch', 'rel-1'], { fetch: scripted([refusedError()]) })).code).toBe(
      ExitCode.API_UNREACHABLE,
    );
    const missing = await run(['releases', 'watch', 'rel-1'], {
      fetch: scripted([{ status: 404, body: { code: 'NotFoundError', message: 'No release rel-1.' } }]),
    });
    expect(missing.code).toBe(ExitCode.API_REFUSED);
    expect(missing.err).toContain('the API answered 404 NotFoundError: No release rel-1.');
  });

  it('refuses an answer it cannot read with exit 70, naming the field', async () => {
    const { code, err } = await run(['releases', 'watch', 'rel-1'], {
      fetch: scripted([{ status: 200, body: { release: { releaseId: 'rel-1' }, waves: [] } }]),
    });
    expect(code).toBe(ExitCode.SOFTWARE);
    expect(err).toContain('at release.status');
  });
});

describe('create --watch', () => {
  const create = ['releases', 'create', '--template', 'fw', '--targets', 'g', '--waves', '100'];

  it('creates with an idempotency key, then watches the id the API answered, exit by the outcome', async () => {
    const answers = [releaseAnswer('IN_PROGRESS'), releaseAnswer('FAILED')];
    let polls = 0;
    const fetch = fakeFetch(({ method }) =>
      method === 'POST'
        ? {
            status: 202,
            body: { releaseId: 'rel-1', status: 'PENDING' },
            headers: { location: '/releases/rel-1' },
          }
        : (answers[Math.min(polls++, answers.length - 1)] as Answer),
    );
    const { code, out } = await run([...create, '--watch'], { fetch });
    expect(code).toBe(ExitCode.RELEASE_FAILED);
    expect(out).toContain('Release rel-1 created (PENDING)');
    expect(out).toContain(
      'release rel-1 IN_PROGRESS -> FAILED (wave 1 of 1) — wave 1 failed: 3 of 10 failed',
    );
    expect(fetch.calls[0]?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(fetch.calls.slice(1).map((c) => c.path)).toEqual(['/releases/rel-1', '/releases/rel-1']);
  });

  it('retries a throttled create with the same idempotency key, after Retry-After', async () => {
    let posts = 0;
    const fetch = fakeFetch(() =>
      ++posts === 1
        ? {
            status: 429,
            body: { code: 'ThrottledError', message: 'slow down' },
            headers: { 'retry-after': '3' },
          }
        : { status: 202, body: { releaseId: 'rel-1', status: 'PENDING' } },
    );
    const { code, io } = await run([...create, '--idempotency-key', 'k-1'], { fetch });
    expect(code).toBe(ExitCode.OK);
    expect(io.sleeps).toEqual([3000]);
    expect(fetch.calls.map((c) => c.headers.get('idempotency-key'))).toEqual(['k-1', 'k-1']);
  });

  it('does not retry when nothing listens', async () => {
    const fetch = scripted([refusedError()]);
    const { code } = await run(create, {
      fetch,
    });
    expect(code).toBe(ExitCode.API_UNREACHABLE);
    expect(fetch.calls).toHaveLength(1);
  });

  it('--dry-run prints the body and sends nothing', async () => {
    const { code, out } = await run([...create, '--dry-run']);
    expect(code).toBe(ExitCode.OK);
    expect(JSON.parse(out)).toEqual({
      jobTemplateId: 'fw',
      targets: { thingGroups: ['g'] },
      waves: [{ percentage: 100 }],
    });
  });
});
