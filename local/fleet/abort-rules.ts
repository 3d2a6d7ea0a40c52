/**
 * The abort rule of an AWS IoT job (`abortConfig.criteriaList`), as the AWS
 * IoT developer guide defines it ("Job rollout and abort configuration"):
 * for each criterion, AWS IoT does not check until at least
 * `minNumberOfExecutedThings` job executions have completed; then it aborts
 * the job once at least `thresholdPercentage` percent of all completed
 * executions ended with the criterion's `failureType` (ALL: FAILED, REJECTED
 * or TIMED_OUT). An abort cancels the job: QUEUED executions are canceled,
 * IN_PROGRESS ones run on.
 *
 * "Completed" here means an attempt a device (or the in-progress timer)
 * ended: SUCCEEDED, FAILED, REJECTED or TIMED_OUT. Every attempt counts, a
 * retried one included, which is how repeated retry failures can abort a
 * job, as the guide describes.
 */
import type { AbortConfig } from '../../lib/domain/iot-job-settings.js';

/** Outcomes of the attempts a job has completed so far. */
export interface CompletedTally {
  readonly SUCCEEDED: number;
  readonly FAILED: number;
  readonly REJECTED: number;
  readonly TIMED_OUT: number;
}

type AbortCriterion = AbortConfig['criteriaList'][number];

export interface AbortDecision {
  readonly criterion: AbortCriterion;
  /** Share of completed executions of the criterion's failure type, in percent. */
  readonly percentage: number;
  readonly completed: number;
  readonly reasonCode: string;
  readonly comment: string;
}

/**
 * The reason code the simulator gives an aborted job. AWS documents that an
 * abort sets "an automated comment and reasonCode to differentiate a
 * user-driven cancellation from a job abort cancellation" without publishing
 * their values; this one follows CancelJob's `[\p{Upper}\p{Digit}_]+` pattern.
 */
export const abortReasonCode = 'ABORT_CRITERIA_MET';

function completedCount(tally: CompletedTally): number {
  return tally.SUCCEEDED + tally.FAILED + tally.REJECTED + tally.TIMED_OUT;
}

function failuresOfType(tally: CompletedTally, failureType: AbortCriterion['failureType']): number {
  return failureType === 'ALL' ? tally.FAILED + tally.REJECTED + tally.TIMED_OUT : tally[failureType];
}

/** The first criterion met, in list order, or undefined while none is. */
export function evaluateAbort(
  config: AbortConfig | undefined,
  tally: CompletedTally,
): AbortDecision | undefined {
  if (!config) return undefined;
  const completed = completedCount(tally);
  for (const criterion of config.criteriaList) {
    if (completed === 0 || completed < criterion.minNumberOfExecutedThings) continue;
    const percentage = (failuresOfType(tally, criterion.failureType) / completed) * 100;
    // Compare in whole hundredths of a percent (AWS allows two decimals), so
    // that 1/3 of executions meets a 33.33% threshold and 19.996% does not
    // meet 20%; the epsilon absorbs binary rounding of exact percentages.
    if (Math.floor(percentage * 100 + 1e-6) >= Math.round(criterion.thresholdPercentage * 100)) {
      return {
        criterion,
        percentage,
        completed,
        reasonCode: abortReasonCode,
        comment:
          `Job aborted: ${percentage.toFixed(2)}% of ${completed} completed executions were ` +
          `${criterion.failureType} (threshold ${criterion.thresholdPercentage}%, ` +
          `minNumberOfExecutedThings ${criterion.minNumberOfExecutedThings}).`,
      };
    }
  }
  return undefined;
}
