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
