import { afterEach, describe, expect, it } from 'vitest';
import { retriesUsedBefore, shouldRetry } from '../../../local/fleet/retry-rules.js';
import { eventsOf, type Harness, maxInAnyWindow, minute, profile, setUp, thingNames } from './harness.js';

let h: Harness;
afterEach(() => h.simulator.stop());

describe('retry: FAILED and TIMED_OUT executions get new attempts up to numberOfRetries', () => {
  it('retries a FAILED execution numberOfRetries times, counting executionNumber up, then leaves it FAILED', async () => {
    h = setUp({ profiles: profile({ outcomes: { fail: 1 } }) });
    h.store.createJob({
      jobId: 'fail',
      things: thingNames('t', 5),
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
    });
    await h.clock.advance(10 * minute);
    for (const thing of thingNames('t', 5)) {
      const attempts = eventsOf(h.events, 'notified', 'fail').filter((e) => e.thingName === thing);
      expect(attempts.map((e) => e.executionNumber)).toEqual([1, 2, 3]);
      expect(h.store.getExecution('fail', thing)).toMatchObject({ status: 'FAILED', executionNumber: 3 });
    }
    expect(eventsOf(h.events, 'retried', 'fail')).toHaveLength(10);
    expect(h.store.getJob('fail')!.status).toBe('COMPLETED');
    expect(h.counterViolations).toEqual([]);
  });

  it('retries a TIMED_OUT execution under a TIMED_OUT criterion', async () => {
    h = setUp({ profiles: profile({ outcomes: { hang: 1 } }) });
    h.store.createJob({
      jobId: 'timeout',
      things: ['t-1'],
      timeoutConfig: { inProgressTimeoutInMinutes: 1 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
    });
    await h.clock.advance(10 * minute);
    expect(h.store.getExecution('timeout', 't-1')).toMatchObject({ status: 'TIMED_OUT', executionNumber: 2 });
    expect(h.store.getJob('timeout')!.status).toBe('COMPLETED');
  });

  it('never retries a REJECTED execution, even under an ALL criterion', async () => {
    h = setUp({ profiles: profile({ outcomes: { reject: 1 } }) });
    h.store.createJob({
      jobId: 'reject',
      things: ['t-1'],
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'ALL', numberOfRetries: 3 }] },
    });
    await h.clock.advance(5 * minute);
    expect(h.store.getExecution('reject', 't-1')).toMatchObject({ status: 'REJECTED', executionNumber: 1 });
  });

  it('sends retries through the rollout budget: no more than maximumPerMinute notifications in any minute', async () => {
    h = setUp({ profiles: profile({ outcomes: { fail: 1 }, startSeconds: 1, runSeconds: 1 }) });
    h.store.createJob({
      jobId: 'paced',
      things: thingNames('t', 30),
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    });
    await h.clock.advance(10 * minute);
    const notified = eventsOf(h.events, 'notified', 'paced');
    expect(notified).toHaveLength(60);
    expect(maxInAnyWindow(notified.map((e) => e.at))).toBeLessThanOrEqual(10);
  });

  it('does not retry after the job was aborted', async () => {
    h = setUp({ profiles: profile({ outcomes: { fail: 1 } }) });
    h.store.createJob({
      jobId: 'abort',
      things: thingNames('t', 5),
      abortConfig: {
        criteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 1 },
        ],
      },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 5 }] },
    });
    await h.clock.advance(5 * minute);
    expect(eventsOf(h.events, 'retried', 'abort')).toHaveLength(0);
    expect(h.store.getJob('abort')!.status).toBe('CANCELED');
  });

  it('uses the criterion of the failure type first and counts both types against an ALL criterion', () => {
    const both = { criteriaList: [{ failureType: 'ALL' as const, numberOfRetries: 3 }] };
    expect(shouldRetry(both, 'FAILED', { FAILED: 2, TIMED_OUT: 0 })).toBe(true);
    expect(shouldRetry(both, 'TIMED_OUT', { FAILED: 2, TIMED_OUT: 1 })).toBe(false);
    const split = {
      criteriaList: [
        { failureType: 'FAILED' as const, numberOfRetries: 1 },
        { failureType: 'ALL' as const, numberOfRetries: 5 },
      ],
    };
    expect(shouldRetry(split, 'FAILED', { FAILED: 1, TIMED_OUT: 0 })).toBe(false);
    expect(shouldRetry(split, 'TIMED_OUT', { FAILED: 1, TIMED_OUT: 0 })).toBe(true);
    expect(
      shouldRetry({ criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }] }, 'FAILED', {
        FAILED: 0,
        TIMED_OUT: 0,
      }),
    ).toBe(false);
  });
});

describe('retriesUsedBefore: the retries an attempt number tells, when nothing else recorded them', () => {
  it('gives them to the one criterion, or to every type when the criteria tell types apart', () => {
    const criteria = (...types: ('FAILED' | 'TIMED_OUT' | 'ALL')[]) => ({
      criteriaList: types.map((failureType) => ({ failureType, numberOfRetries: 3 })),
    });
    expect(retriesUsedBefore(criteria('ALL'), 3)).toEqual({ FAILED: 2, TIMED_OUT: 0 });
    expect(retriesUsedBefore(criteria('FAILED'), 2)).toEqual({ FAILED: 1, TIMED_OUT: 0 });
    expect(retriesUsedBefore(criteria('TIMED_OUT'), 4)).toEqual({ FAILED: 0, TIMED_OUT: 3 });
    // Either type may have used them: each counts them all, so no thing gets a retry too many.
    const split = criteria('FAILED', 'TIMED_OUT');
    expect(retriesUsedBefore(split, 3)).toEqual({ FAILED: 2, TIMED_OUT: 2 });
    expect(shouldRetry(split, 'FAILED', retriesUsedBefore(split, 4))).toBe(false);
    expect(retriesUsedBefore(undefined, 1)).toEqual({ FAILED: 0, TIMED_OUT: 0 });
  });
});
