/**
 * Failure reasons with in-memory fakes: the reason and grouping rules, a
 * sample taken in turn across waves and statuses, finished waves' counts
 * sparing list calls and giving the true total, and the bounds on one
 * request's work (list calls, the Lambda's deadline, throttled describes).
 */
import { describe, expect, it } from 'vitest';
import { ThrottledError } from '../../../lib/domain/errors.js';
import type { WaveState } from '../../../lib/domain/release.js';
import { followUpJobId } from '../../../lib/domain/wave-halt.js';
import { type JobProcessCounts, ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import {
  FAILURE_SAMPLE,
  failureReasons,
  groupByReason,
  LIST_CALLS_PER_REQUEST,
  reasonOf,
  roundRobin,
} from '../../../lib/releases/failure-reasons.js';
import { FakeExecutionReader, things } from './fake-execution-reader.js';
import { fakes, releaseBody } from './fakes.js';

const counts = (c: Partial<JobProcessCounts>): JobProcessCounts => ({ ...ZERO_COUNTS, ...c });

/** Release `r` with these waves (all percentages), and a fake IoT. */
function setUp(waves: Partial<WaveState>[]) {
  const { store } = fakes();
  store.seed(
    {
      ...releaseBody(),
      releaseId: 'r',
      waves: waves.map((_, i) => ({ percentage: i === waves.length - 1 ? 100 : 10 * (i + 1) })),
    },
    'FAILED',
    waves,
  );
  const reader = new FakeExecutionReader();
  return { deps: { store, executions: reader }, reader };
}

describe('failure reasons', () => {
  it('takes a reason from reason, then error, then errorCode, else names the status', () => {
    expect(reasonOf({ status: 'FAILED', statusDetails: { error: 'e', reason: 'r', errorCode: 'c' } })).toBe(
      'r',
    );
    expect(reasonOf({ status: 'FAILED', statusDetails: { errorCode: 'c', error: 'e' } })).toBe('e');
    expect(reasonOf({ status: 'REJECTED', statusDetails: { errorCode: 'c' } })).toBe('c');
    expect(reasonOf({ status: 'TIMED_OUT' })).toBe('no details (TIMED_OUT)');
  });

  it('groups most frequent first (ties by reason), counting statuses and naming up to five things', () => {
    const grouped = groupByReason([
      ...things('x', 7, 'FAILED', { reason: 'disk' }),
      ...things('y', 2, 'REJECTED', { reason: 'disk' }),
      ...things('z', 2, 'TIMED_OUT'),
      ...things('w', 2, 'FAILED', { reason: 'battery' }),
    ]);
    expect(grouped.map((g) => [g.reason, g.count, g.statuses])).toEqual([
      ['disk', 9, { FAILED: 7, REJECTED: 2 }],
      ['battery', 2, { FAILED: 2 }],
      ['no details (TIMED_OUT)', 2, { TIMED_OUT: 2 }],
    ]);
    expect(grouped[0]?.thingNames).toEqual(['x-0', 'x-1', 'x-2', 'x-3', 'x-4']);
  });

  it('takes lists in turn', () => {
    expect(roundRobin([[1, 2, 3], [], [10], [20, 21]])).toEqual([1, 10, 20, 2, 21, 3]);
  });

  it('samples across waves, jobs and statuses in turn, not the first ones in order, and says when more failed', async () => {
    const { deps, reader } = setUp([
      { status: 'SUCCEEDED', jobId: 'r-w01', followUpJobIds: [followUpJobId('r', 1, 1)] },
      { status: 'IN_PROGRESS', jobId: 'r-w02' },
    ]);
    reader.jobs.set('r-w01', [
      ...things('a', 300, 'FAILED', { reason: 'disk' }),
      ...things('ok', 50, 'SUCCEEDED'),
    ]);
    reader.jobs.set('r-w01-r1', things('b', 10, 'REJECTED'));
    reader.jobs.set('r-w02', things('c', 300, 'TIMED_OUT'));
    const all = await failureReasons(deps, 'r', undefined);
    expect(all).toMatchObject({ sampledExecutions: FAILURE_SAMPLE, truncated: true });
    expect(all.reasons.map((r) => [r.reason, r.count])).toEqual([
      ['disk', 45],
      ['no details (TIMED_OUT)', 45],
      ['no details (REJECTED)', 10],
    ]);
    // Waves without recorded counts: no true total to give.
    expect(all.failingExecutions).toBeUndefined();
    const second = await failureReasons(deps, 'r', 2);
    expect(second.reasons.map((r) => [r.reason, r.count])).toEqual([
      ['no details (TIMED_OUT)', FAILURE_SAMPLE],
    ]);
  });

  it('does not list what a finished wave’s counts show empty, and answers their total', async () => {
    const { deps, reader } = setUp([
      { status: 'SUCCEEDED', jobId: 'r-w01', counts: counts({ numberOfSucceededThings: 40 }) },
      {
        status: 'FAILED',
        jobId: 'r-w02',
        counts: counts({ numberOfFailedThings: 3, numberOfSucceededThings: 7 }),
      },
      { status: 'CANCELED' },
    ]);
    reader.jobs.set('r-w02', things('c', 3, 'FAILED', { reason: 'disk' }));
    const answer = await failureReasons(deps, 'r', undefined);
    expect(answer).toEqual({
      reasons: [{ reason: 'disk', count: 3, statuses: { FAILED: 3 }, thingNames: ['c-0', 'c-1', 'c-2'] }],
      sampledExecutions: 3,
      truncated: false,
      failingExecutions: 3,
    });
    expect(reader.listed.map((l) => [l.jobId, l.status])).toEqual([['r-w02', 'FAILED']]);
  });

  it('makes a bounded number of list calls however IoT pages, and says the answer is partial', async () => {
    const { deps, reader } = setUp([{ status: 'IN_PROGRESS', jobId: 'r-w01' }]);
    reader.jobs.set('r-w01', things('a', 500, 'FAILED'));
    reader.pageCap = 1;
    const answer = await failureReasons(deps, 'r', undefined);
    expect(reader.listed).toHaveLength(LIST_CALLS_PER_REQUEST);
    expect(answer).toMatchObject({ truncated: true });
    reader.listed.length = 0;
    reader.emptyForever.add('r-w01');
    await failureReasons(deps, 'r', undefined);
    expect(reader.listed).toHaveLength(LIST_CALLS_PER_REQUEST);
  });

  it('stops listing and describing near the Lambda’s deadline and answers what it has', async () => {
    const { deps, reader } = setUp([{ status: 'IN_PROGRESS', jobId: 'r-w01' }]);
    reader.jobs.set('r-w01', things('a', 500, 'FAILED', { reason: 'disk' }));
    reader.pageCap = 10;
    let remaining = 20_000;
    // Each call spends 4 s (a list) or 3 s (a describe) of the 20 s left: one round of three lists
    // (FAILED, TIMED_OUT, REJECTED) leaves 8 s, less than listing needs; one describe leaves 5 s.
    reader.onCall = (kind) => {
      remaining -= kind === 'list' ? 4_000 : 3_000;
    };
    const answer = await failureReasons(deps, 'r', undefined, { remainingMs: () => remaining });
    expect(answer).toMatchObject({ truncated: true, reasons: [{ reason: 'disk' }] });
    expect(reader.listed).toHaveLength(3);
    expect(reader.described).toHaveLength(1);
    expect(answer.sampledExecutions).toBe(1);
  });

  it('counts a throttled describe as not sampled; a throttled list is a ThrottledError', async () => {
    const { deps, reader } = setUp([{ status: 'IN_PROGRESS', jobId: 'r-w01' }]);
    reader.jobs.set('r-w01', things('a', 4, 'FAILED', { reason: 'disk' }));
    reader.throttledThings.add('a-2');
    const answer = await failureReasons(deps, 'r', 1);
    expect(answer).toMatchObject({
      sampledExecutions: 3,
      truncated: true,
      reasons: [{ reason: 'disk', count: 3 }],
    });
    reader.throttleLists = true;
    await expect(failureReasons(deps, 'r', 1)).rejects.toBeInstanceOf(ThrottledError);
  });
});
