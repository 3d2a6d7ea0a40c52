/**
 * The retry rule of an AWS IoT job (`jobExecutionsRetryConfig.criteriaList`),
 * after the AWS IoT developer guide ("Job execution timeout and retry
 * configurations"): a FAILED or TIMED_OUT execution is retried, as a new
 * QUEUED attempt with the next `executionNumber`, until it succeeds or the
 * criterion's `numberOfRetries` is used up. REJECTED is never retried.
 * A criterion for the failure type itself is used first; an ALL criterion
 * counts the retries of both failure types together.
 */
import type { JobExecutionsRetryConfig } from '../../lib/domain/iot-job-settings.js';

export type RetryableStatus = 'FAILED' | 'TIMED_OUT';

/** Retries already made for one thing in one job, by the status that caused them. */
export interface RetriesUsed {
  FAILED: number;
  TIMED_OUT: number;
}

/** Whether an execution that ended with `status` gets another attempt. */
export function shouldRetry(
  config: JobExecutionsRetryConfig | undefined,
  status: RetryableStatus,
  used: RetriesUsed,
): boolean {
  if (!config) return false;
  const specific = config.criteriaList.find((c) => c.failureType === status);
  if (specific) return used[status] < specific.numberOfRetries;
  const all = config.criteriaList.find((c) => c.failureType === 'ALL');
  if (all) return used.FAILED + used.TIMED_OUT < all.numberOfRetries;
  return false;
}

/**
 * The retries a thing used, as well as an execution that is on attempt
 * `executionNumber` tells it when nothing else recorded them (a snapshot
 * written before the simulator's own counts were kept): every earlier
 * attempt was a retry, of a failure type the execution does not say. With a
 * single criterion the type does not matter; with several, each type is
 * counted as having used them all, so a thing never gets more retries than
 * the job allows.
 */
export function retriesUsedBefore(
  config: JobExecutionsRetryConfig | undefined,
  executionNumber: number,
): RetriesUsed {
  const retries = Math.max(0, executionNumber - 1);
  const criteria = config?.criteriaList ?? [];
  if (criteria.length === 1 && criteria[0]!.failureType === 'TIMED_OUT')
    return { FAILED: 0, TIMED_OUT: retries };
  if (criteria.length <= 1) return { FAILED: retries, TIMED_OUT: 0 };
  return { FAILED: retries, TIMED_OUT: retries };
}
