import { describe, expect, it } from 'vitest';
import { canceledJobReason } from '../../../lib/domain/canceled-job-reason.js';
import { waveDefinitionSchema } from '../../../lib/domain/release-request.js';
import { evaluateWave } from '../../../lib/domain/wave-evaluation.js';
import { buildWaveJobOverrides } from '../../../lib/domain/wave-job.js';
import {
  countsFromJobProcessDetails,
  type JobProcessCounts,
  summarizeProgress,
} from '../../../lib/domain/wave-progress.js';

const criterion = (threshold: number, min: number) => ({
  failureType: 'ALL' as const,
  action: 'CANCEL' as const,
  thresholdPercentage: threshold,
  minNumberOfExecutedThings: min,
});

/** A 2,505-thing wave whose job IoT aborted after 1 of its first 10 executed things failed. */
const aborted: JobProcessCounts = countsFromJobProcessDetails({
  numberOfSucceededThings: 9,
  numberOfFailedThings: 1,
  numberOfInProgressThings: 2,
  numberOfCanceledThings: 2493,
});

function reason(counts: JobProcessCounts, extra: Partial<Parameters<typeof canceledJobReason>[0]> = {}) {
  return canceledJobReason({
    jobStatus: 'CANCELED',
    counts,
    progress: summarizeProgress(counts, 2505),
    criteria: [criterion(10, 10)],
    ...extra,
  });
}

describe('canceledJobReason', () => {
  it("gives IoT's basis for an abort: failures among the things executed, judged from the 10th on", () => {
    expect(reason(aborted)).toBe(
      "IoT's abort criteria canceled the job: IoT cancels it once 10% of the things executed so far failed, rejected or timed out, judged as soon as 10 things had executed, whatever the wave's size. 1 of the 10 things executed had failed, rejected or timed out (10%); 2493 of the wave's 2505 things never ran.",
    );
    expect(reason(aborted)).not.toMatch(/0\.04/);
  });

  it("keeps IoT's own note, and names the abort by it when the counters have moved on since", () => {
    // Two more succeeded after the abort: 1 of 12 executed is under 10 %, yet IoT said it aborted.
    const later = { ...aborted, numberOfSucceededThings: 11, numberOfInProgressThings: 0 };
    const note = {
      reasonCode: 'ABORT_CRITERIA_MET',
      comment: 'Job aborted: 10.00% of 10 completed executions were ALL.',
    };
    const text = reason(later, { note });
    expect(text).toMatch(/^IoT's abort criteria canceled the job: IoT cancels it once 10% /);
    expect(text).toContain('1 of the 12 things executed had failed, rejected or timed out (8.33%)');
    expect(text).toMatch(
      /IoT's note: ABORT_CRITERIA_MET: Job aborted: 10\.00% of 10 completed executions were ALL\.$/,
    );
  });

  it('says a job canceled by someone else was canceled outside fleetwave, with their reason', () => {
    const healthy = countsFromJobProcessDetails({ numberOfSucceededThings: 40, numberOfCanceledThings: 60 });
    const text = canceledJobReason({
      jobStatus: 'CANCELED',
      counts: healthy,
      progress: summarizeProgress(healthy, 100),
      criteria: [criterion(10, 10)],
      note: { reasonCode: 'OPS_FREEZE', comment: 'change freeze' },
    });
    expect(text).toBe(
      "The IoT job is CANCELED before the wave finished (canceled outside fleetwave). 0 of the 40 things executed had failed, rejected or timed out (0%); 60 of the wave's 100 things never ran. IoT's note: OPS_FREEZE: change freeze",
    );
  });

  it('judges a criterion of the failure type it names', () => {
    const rejected = countsFromJobProcessDetails({ numberOfSucceededThings: 3, numberOfRejectedThings: 2 });
    const only = (failureType: 'FAILED' | 'REJECTED') => [{ ...criterion(20, 5), failureType }];
    const progress = summarizeProgress(rejected, 100);
    expect(
      canceledJobReason({ jobStatus: 'CANCELED', counts: rejected, progress, criteria: only('REJECTED') }),
    ).toMatch(
      /^IoT's abort criteria canceled the job: IoT cancels it once 20% of the things executed so far rejected, judged as soon as 5 things had executed/,
    );
    expect(
      canceledJobReason({ jobStatus: 'CANCELED', counts: rejected, progress, criteria: only('FAILED') }),
    ).toMatch(/^The IoT job is CANCELED before the wave finished \(canceled outside fleetwave\)/);
  });
});

describe('evaluateWave: an aborted job', () => {
  it("fails the wave with IoT's basis, from the wave's own abort criteria", () => {
    const wave = waveDefinitionSchema.parse({ percentage: 100, minExecutedThings: 10 });
    const decision = evaluateWave({
      counts: aborted,
      jobStatus: 'CANCELED',
      policy: wave,
      expectedThings: 2505,
      startedAt: 0,
      now: 60_000,
      abortCriteria: buildWaveJobOverrides(wave).abortConfig.criteriaList,
    });
    expect(decision).toMatchObject({ decision: 'failed', cause: 'JOB_CANCELED' });
    expect(decision.decision === 'failed' && decision.reason).toContain(
      '1 of the 10 things executed had failed, rejected or timed out (10%)',
    );
  });
});
