/**
 * A wave's progress as IoT reports it (DescribeJob's `jobProcessDetails`)
 * and the figures fleetwave derives from it. Shares are computed in whole
 * hundredths of a percent with integer arithmetic, so `1/3` never compares
 * as `33.33` by accident of floating point.
 */

/** The eight counters of DescribeJob's `jobProcessDetails`, with IoT's names. */
export interface JobProcessCounts {
  numberOfQueuedThings: number;
  numberOfInProgressThings: number;
  numberOfSucceededThings: number;
  numberOfFailedThings: number;
  numberOfRejectedThings: number;
  numberOfTimedOutThings: number;
  numberOfCanceledThings: number;
  numberOfRemovedThings: number;
}

export const jobProcessCounterNames = [
  'numberOfQueuedThings',
  'numberOfInProgressThings',
  'numberOfSucceededThings',
  'numberOfFailedThings',
  'numberOfRejectedThings',
  'numberOfTimedOutThings',
  'numberOfCanceledThings',
  'numberOfRemovedThings',
] as const satisfies readonly (keyof JobProcessCounts)[];

/** Counts of a job that has no executions yet. */
export const ZERO_COUNTS: Readonly<JobProcessCounts> = Object.freeze(
  Object.fromEntries(jobProcessCounterNames.map((n) => [n, 0])) as unknown as JobProcessCounts,
);

/**
 * Reads the counters from a DescribeJob `jobProcessDetails` (the SDK types
 * every member as optional): a missing counter is 0.
 */
export function countsFromJobProcessDetails(
  details: Partial<Record<keyof JobProcessCounts, number | undefined>> | undefined,
): JobProcessCounts {
  const counts = { ...ZERO_COUNTS };
  for (const name of jobProcessCounterNames) counts[name] = details?.[name] ?? 0;
  return counts;
}

export function countsEqual(a: JobProcessCounts, b: JobProcessCounts): boolean {
  return jobProcessCounterNames.every((n) => a[n] === b[n]);
}

/** What the evaluation rules look at, derived from the counters. */
export interface WaveProgress {
  /**
   * The denominator of every share: the larger of the things the wave was
   * expected to reach and the executions IoT counts (REMOVED executions left
   * the target and are not counted). Using the expected size keeps a few
   * early failures from looking like a large share while IoT is still
   * creating executions.
   */
  total: number;
  succeeded: number;
  /** FAILED + REJECTED + TIMED_OUT. */
  failed: number;
  /** QUEUED + IN_PROGRESS. */
  pending: number;
  /** Things that ran to an outcome: SUCCEEDED + FAILED + REJECTED + TIMED_OUT. */
  executed: number;
  /** True when every expected thing has an execution and none is QUEUED or IN_PROGRESS. */
  allTerminal: boolean;
  /** Rounded to two decimals, for people; rules compare exact fractions. */
  succeededPercent: number;
  failedPercent: number;
}

export function summarizeProgress(counts: JobProcessCounts, expectedThings?: number): WaveProgress {
  const failed = counts.numberOfFailedThings + counts.numberOfRejectedThings + counts.numberOfTimedOutThings;
  const succeeded = counts.numberOfSucceededThings;
  const pending = counts.numberOfQueuedThings + counts.numberOfInProgressThings;
  const counted = pending + succeeded + failed + counts.numberOfCanceledThings;
  const total = Math.max(expectedThings ?? 0, counted);
  return {
    total,
    succeeded,
    failed,
    pending,
    executed: succeeded + failed,
    allTerminal: counted > 0 && pending === 0 && counted >= total,
    succeededPercent: percentOf(succeeded, total),
    failedPercent: percentOf(failed, total),
  };
}

/** `part / total` in percent, rounded to two decimals (0 for an empty total). */
export function percentOf(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part * 10_000) / total) / 100;
}

/** True when `part / total ≥ thresholdPercent` exactly (threshold with up to two decimals). */
export function reachesShare(part: number, total: number, thresholdPercent: number): boolean {
  return part * 10_000 >= Math.round(thresholdPercent * 100) * total;
}
