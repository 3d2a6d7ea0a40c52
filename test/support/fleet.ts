/**
 * Helpers shared by the fleet simulator's unit and integration tests:
 * profiles with fixed latencies, the rollout-window measure, and the sum of
 * a job's counters. Pure: no endpoint, no SDK client.
 */
import type { JobProcessDetails } from '@aws-sdk/client-iot';
import type { BehaviourProfiles, LatencySpec, OutcomeMix } from '../../local/fleet/behaviour-profile.js';

export const second = 1000;
export const minute = 60_000;

/** Profiles with fixed latencies (no spread); every device succeeds unless `outcomes` says otherwise. */
export function fixedProfile(
  options: { outcomes?: OutcomeMix; startSeconds?: number; runSeconds?: number },
  overrides: BehaviourProfiles['overrides'] = [],
): BehaviourProfiles {
  const fixed = (seconds: number): LatencySpec => ({ medianSeconds: seconds, spread: 0 });
  return {
    default: {
      outcomes: options.outcomes ?? {},
      startLatency: fixed(options.startSeconds ?? 1),
      runLatency: fixed(options.runSeconds ?? 10),
    },
    overrides,
  };
}

/** The sum of DescribeJob's per-status counters. */
export function counterSum(details: JobProcessDetails): number {
  return (
    (details.numberOfQueuedThings ?? 0) +
    (details.numberOfInProgressThings ?? 0) +
    (details.numberOfSucceededThings ?? 0) +
    (details.numberOfFailedThings ?? 0) +
    (details.numberOfRejectedThings ?? 0) +
    (details.numberOfTimedOutThings ?? 0) +
    (details.numberOfCanceledThings ?? 0) +
    (details.numberOfRemovedThings ?? 0)
  );
}

/** The most values in any half-open window [t, t + windowMs). */
export function maxInAnyWindow(times: readonly number[], windowMs = minute): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
