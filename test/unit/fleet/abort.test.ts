import { afterEach, describe, expect, it } from 'vitest';
import { abortReasonCode } from '../../../local/fleet/abort-rules.js';
import { eventsOf, type Harness, minute, profile, setUp } from './harness.js';

let h: Harness;
afterEach(() => h.simulator.stop());

/** Interleaved: bad things fail after 10 s, good things take 30 minutes to succeed. */
const things = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? `bad-${i}` : `good-${i}`));
const profiles = profile({ startSeconds: 1, runSeconds: 30 * 60 }, [
  { match: { thingName: 'bad-*' }, outcomes: { fail: 1 }, runLatency: { medianSeconds: 10, spread: 0 } },
]);

describe('abort: the job is canceled once the failure share of completed executions reaches the threshold', () => {
  it('waits for minNumberOfExecutedThings, then cancels QUEUED executions while IN_PROGRESS ones run on', async () => {
    h = setUp({ profiles });
    h.store.createJob({
      jobId: 'abort',
      things,
      jobExecutionsRolloutConfig: { maximumPerMinute: 20 },
      abortConfig: {
        criteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 10 },
        ],
      },
    });
    // Record the job status as each failure lands.
    const statusAtFailure: string[] = [];
    const onChange = h.store.onChange;
    h.store.onChange = (change) => {
      onChange?.(change);
      if (change.kind === 'execution' && change.to === 'FAILED')
        statusAtFailure.push(h.store.getJob('abort')!.status);
    };
    await h.clock.advance(2 * minute);

    // Nine failures (100% of nine completed) did not abort; the tenth did.
    expect(statusAtFailure.slice(0, 10)).toEqual(Array(10).fill('IN_PROGRESS'));
    const [aborted] = eventsOf(h.events, 'aborted', 'abort');
    expect(aborted?.decision.completed).toBe(10);
    const job = h.store.jobRecord('abort')!;
    expect(job.status).toBe('CANCELED');
    expect(job.reasonCode).toBe(abortReasonCode);
    expect(job.comment).toContain('FAILED');

    // Nothing QUEUED is left; the good devices that had started are still running.
    const counts = h.store.counts('abort');
    expect(counts.QUEUED).toBe(0);
    expect(counts.CANCELED).toBe(aborted!.canceled);
    const running = h.store.thingsIn('abort', 'IN_PROGRESS');
    expect(running.length).toBeGreaterThanOrEqual(10);
    expect(counts.FAILED + counts.IN_PROGRESS + counts.CANCELED).toBe(100);

    // No more notifications after the abort; the running devices finish and the counters move.
    const notifiedBefore = eventsOf(h.events, 'notified', 'abort').length;
    await h.clock.advance(40 * minute);
    expect(eventsOf(h.events, 'notified', 'abort')).toHaveLength(notifiedBefore);
    expect(h.store.counts('abort').IN_PROGRESS).toBe(0);
    expect(h.store.counts('abort').SUCCEEDED).toBe(running.length);
    expect(h.store.getJob('abort')!.status).toBe('CANCELED');
    expect(eventsOf(h.events, 'completed', 'abort')).toHaveLength(0);
    expect(h.counterViolations).toEqual([]);
  });

  it('does not abort while the failure share stays below the threshold', async () => {
    // Every other thing fails, all after the same 10 s: the share of failures hovers at 50%.
    h = setUp({
      profiles: profile({ startSeconds: 1, runSeconds: 10 }, [
        { match: { thingName: 'bad-*' }, outcomes: { fail: 1 } },
      ]),
    });
    h.store.createJob({
      jobId: 'steady',
      things,
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 60, minNumberOfExecutedThings: 10 },
        ],
      },
    });
    await h.clock.advance(60 * minute);
    expect(eventsOf(h.events, 'aborted')).toHaveLength(0);
    expect(h.store.counts('steady').FAILED).toBe(50);
    expect(h.store.getJob('steady')!.status).toBe('COMPLETED');
  });
});
