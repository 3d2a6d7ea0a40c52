import { describe, expect, it } from 'vitest';
import type { PollState } from '../../../lib/domain/adaptive-wait.js';
import {
  checkBake,
  evaluateWave,
  toEpochMs,
  type WaveEvaluationInput,
  type WavePolicy,
  waveDeadlineMs,
} from '../../../lib/domain/wave-evaluation.js';
import { countsFromJobProcessDetails, type JobProcessCounts } from '../../../lib/domain/wave-progress.js';

const START = Date.parse('2026-03-01T10:00:00.000Z');
const policy: WavePolicy = {
  successThresholdPercent: 95,
  failureThresholdPercent: 10,
  minExecutedThings: 1,
  timeoutMinutes: 60,
};

function counts(partial: Partial<JobProcessCounts>): JobProcessCounts {
  return countsFromJobProcessDetails(partial);
}

function evaluate(overrides: Partial<WaveEvaluationInput>) {
  return evaluateWave({
    counts: counts({}),
    jobStatus: 'IN_PROGRESS',
    policy,
    startedAt: START,
    now: START + 60_000,
    ...overrides,
  });
}

describe('evaluateWave: failure threshold', () => {
  it('fails once FAILED+REJECTED+TIMED_OUT reach the threshold share', () => {
    const decision = evaluate({
      counts: counts({
        numberOfFailedThings: 4,
        numberOfRejectedThings: 3,
        numberOfTimedOutThings: 3,
        numberOfQueuedThings: 90,
      }),
    });
    expect(decision).toMatchObject({ decision: 'failed', cause: 'FAILURE_THRESHOLD' });
    expect(decision.progress).toMatchObject({ total: 100, failed: 10, failedPercent: 10 });
    expect(decision.decision === 'failed' && decision.reason).toBe(
      '10 of 100 things failed, rejected or timed out (10%), reaching the failure threshold of 10%.',
    );
  });

  it('continues just below the threshold', () => {
    const decision = evaluate({ counts: counts({ numberOfFailedThings: 9, numberOfQueuedThings: 91 }) });
    expect(decision.decision).toBe('continue');
  });

  it('compares shares exactly, not in rounded floating point', () => {
    // 1 of 3 is 33.333…%: below a 33.34 % threshold, at or above 33.33 %.
    const input = { counts: counts({ numberOfFailedThings: 1, numberOfQueuedThings: 2 }) };
    expect(evaluate({ ...input, policy: { ...policy, failureThresholdPercent: 33.34 } }).decision).toBe(
      'continue',
    );
    expect(evaluate({ ...input, policy: { ...policy, failureThresholdPercent: 33.33 } }).decision).toBe(
      'failed',
    );
  });

  it('divides by the expected wave size, so early failures are not a large share', () => {
    // IoT has created 4 executions of a 1,000-thing cohort; 1 failed.
    const early = counts({ numberOfFailedThings: 1, numberOfQueuedThings: 3 });
    expect(evaluate({ counts: early }).decision).toBe('failed');
    const decision = evaluate({ counts: early, expectedThings: 1000 });
    expect(decision).toMatchObject({ decision: 'continue', progress: { total: 1000, failedPercent: 0.1 } });
  });

  it('waits for minExecutedThings executions before judging the share', () => {
    const input = {
      counts: counts({ numberOfFailedThings: 2, numberOfSucceededThings: 2, numberOfQueuedThings: 16 }),
    };
    expect(evaluate({ ...input, policy: { ...policy, minExecutedThings: 5 } }).decision).toBe('continue');
    expect(evaluate({ ...input, policy: { ...policy, minExecutedThings: 4 } }).decision).toBe('failed');
  });

  it('caps minExecutedThings at the wave size, so a small wave can still fail', () => {
    const decision = evaluate({
      counts: counts({ numberOfFailedThings: 2, numberOfSucceededThings: 1 }),
      policy: { ...policy, minExecutedThings: 50 },
    });
    expect(decision).toMatchObject({ decision: 'failed', cause: 'FAILURE_THRESHOLD' });
  });

  it('treats a 0 % threshold as "stop at the first failure", never as "stop at once"', () => {
    const zero = { ...policy, failureThresholdPercent: 0 };
    expect(evaluate({ policy: zero, counts: counts({ numberOfQueuedThings: 500 }) }).decision).toBe(
      'continue',
    );
    expect(
      evaluate({ policy: zero, counts: counts({ numberOfTimedOutThings: 1, numberOfQueuedThings: 499 }) })
        .decision,
    ).toBe('failed');
  });

  it('takes precedence over a completed job', () => {
    const decision = evaluate({
      jobStatus: 'COMPLETED',
      counts: counts({ numberOfSucceededThings: 80, numberOfFailedThings: 20 }),
    });
    expect(decision).toMatchObject({ decision: 'failed', cause: 'FAILURE_THRESHOLD' });
  });
});

describe('evaluateWave: job stopped', () => {
  it('fails when IoT canceled the job (abort criteria met)', () => {
    const decision = evaluate({
      jobStatus: 'CANCELED',
      counts: counts({ numberOfSucceededThings: 5, numberOfCanceledThings: 95 }),
    });
    expect(decision).toMatchObject({ decision: 'failed', cause: 'JOB_CANCELED' });
    expect(decision.decision === 'failed' && decision.reason).toContain('CANCELED');
  });

  it('fails when the job is being deleted', () => {
    expect(evaluate({ jobStatus: 'DELETION_IN_PROGRESS' })).toMatchObject({
      decision: 'failed',
      cause: 'JOB_CANCELED',
    });
  });
});

describe('evaluateWave: finished job', () => {
  it('succeeds when the job completed with the success share reached', () => {
    const decision = evaluate({
      jobStatus: 'COMPLETED',
      counts: counts({ numberOfSucceededThings: 96, numberOfFailedThings: 4 }),
    });
    expect(decision).toEqual({
      decision: 'succeeded',
      progress: expect.objectContaining({ total: 100, succeededPercent: 96 }),
    });
  });

  it('succeeds when every execution is terminal even though the job still reads IN_PROGRESS', () => {
    const decision = evaluate({ counts: counts({ numberOfSucceededThings: 20 }) });
    expect(decision.decision).toBe('succeeded');
  });

  it('does not call a wave finished while expected things have no execution yet', () => {
    const decision = evaluate({ counts: counts({ numberOfSucceededThings: 20 }), expectedThings: 40 });
    expect(decision.decision).toBe('continue');
  });

  it('fails, with the reason, when everything finished below the success threshold', () => {
    const decision = evaluate({
      jobStatus: 'COMPLETED',
      counts: counts({
        numberOfSucceededThings: 94,
        numberOfFailedThings: 5,
        numberOfRemovedThings: 3,
        numberOfCanceledThings: 1,
      }),
    });
    expect(decision).toMatchObject({ decision: 'failed', cause: 'BELOW_SUCCESS_THRESHOLD' });
    expect(decision.decision === 'failed' && decision.reason).toBe(
      '94 of 100 things succeeded (94%), below the success threshold of 95%.',
    );
  });

  it('counts a completed job with no things as succeeded (an empty cohort)', () => {
    expect(evaluate({ jobStatus: 'COMPLETED' })).toMatchObject({
      decision: 'succeeded',
      progress: { total: 0 },
    });
  });
});

describe('evaluateWave: timeout', () => {
  it('times out once now reaches startedAt + timeoutMinutes', () => {
    const decision = evaluate({
      counts: counts({ numberOfSucceededThings: 3, numberOfInProgressThings: 7 }),
      now: new Date(START + 60 * 60_000),
    });
    expect(decision).toMatchObject({ decision: 'timed_out', cause: 'TIMEOUT' });
    expect(decision.decision === 'timed_out' && decision.reason).toBe(
      'The wave did not finish within 60 minutes: 7 of 10 things still queued or in progress.',
    );
  });

  it('lets a job that finished at the deadline count as finished', () => {
    const decision = evaluate({
      jobStatus: 'COMPLETED',
      counts: counts({ numberOfSucceededThings: 10 }),
      now: START + 2 * 60 * 60_000,
    });
    expect(decision.decision).toBe('succeeded');
  });

  it('accepts ISO strings for the times', () => {
    const decision = evaluate({ startedAt: '2026-03-01T10:00:00.000Z', now: '2026-03-01T11:00:00.000Z' });
    expect(decision.decision).toBe('timed_out');
  });
});

describe('evaluateWave: continue', () => {
  it('continues a job that is still running, polling after the adaptive wait', () => {
    const decision = evaluate({ counts: counts({ numberOfQueuedThings: 10 }) });
    expect(decision).toMatchObject({ decision: 'continue', nextPollSeconds: 15, changed: true });
  });

  it('continues a SCHEDULED job and a job with no executions yet', () => {
    expect(evaluate({ jobStatus: 'SCHEDULED' }).decision).toBe('continue');
    expect(evaluate({ jobStatus: 'IN_PROGRESS' }).decision).toBe('continue');
  });

  it('backs off while nothing changes, carrying the poll state', () => {
    const c = counts({ numberOfInProgressThings: 10 });
    const previous: PollState = {
      counts: c,
      jobStatus: 'IN_PROGRESS',
      intervalSeconds: 30,
      unchangedPolls: 1,
    };
    const decision = evaluate({ counts: c, previous });
    expect(decision).toMatchObject({
      decision: 'continue',
      nextPollSeconds: 60,
      changed: false,
      pollState: { intervalSeconds: 60, unchangedPolls: 2 },
    });
  });

  it('never waits past the deadline', () => {
    const c = counts({ numberOfInProgressThings: 10 });
    const previous: PollState = {
      counts: c,
      jobStatus: 'IN_PROGRESS',
      intervalSeconds: 300,
      unchangedPolls: 5,
    };
    const decision = evaluate({ counts: c, previous, now: START + 60 * 60_000 - 42_000 });
    expect(decision).toMatchObject({ decision: 'continue', nextPollSeconds: 42 });
  });
});

describe('checkBake', () => {
  const bakePolicy = { failureThresholdPercent: 10, minExecutedThings: 1 };

  it('keeps a wave whose failures stayed below the threshold during the bake', () => {
    const result = checkBake({
      counts: counts({ numberOfSucceededThings: 95, numberOfFailedThings: 5 }),
      policy: bakePolicy,
    });
    expect(result).toMatchObject({ decision: 'ok', progress: { failedPercent: 5 } });
  });

  it('fails a wave whose failures crossed the threshold during the bake', () => {
    const result = checkBake({
      counts: counts({ numberOfSucceededThings: 88, numberOfFailedThings: 12 }),
      policy: bakePolicy,
    });
    expect(result).toMatchObject({ decision: 'failed', cause: 'FAILURE_THRESHOLD' });
  });

  it('judges against the expected wave size', () => {
    const result = checkBake({
      counts: counts({ numberOfSucceededThings: 8, numberOfFailedThings: 2 }),
      policy: bakePolicy,
      expectedThings: 100,
    });
    expect(result.decision).toBe('ok');
  });
});

describe('times', () => {
  it('computes the deadline from the start and the timeout', () => {
    expect(waveDeadlineMs('2026-03-01T10:00:00.000Z', 90)).toBe(Date.parse('2026-03-01T11:30:00.000Z'));
  });

  it('rejects a time that is not one', () => {
    expect(() => toEpochMs('yesterday')).toThrow(RangeError);
  });
});
