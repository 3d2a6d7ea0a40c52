/**
 * Pacing of the calls that share one per-account rate: AWS IoT's jobs
 * control-plane APIs (CreateJob, DescribeJob, CancelJob, the job templates)
 * are throttled at about 10 per second each, and every release of the
 * account, with every person and tool using the same account, draws on that.
 *
 * Each API has one schedule, the time its next call may go (the "theoretical
 * arrival time" of the generic cell rate algorithm). A call moves the
 * schedule one interval on and takes the slot it moved past: now when the
 * schedule is idle, otherwise the first free slot. Slots are handed out in
 * the order callers ask, so concurrent releases take turns: none is starved,
 * and none is refused by AWS for being one call too many.
 */

/** Calls of one API per second that fleetwave spends at most, unless told otherwise. */
export const DEFAULT_CALLS_PER_SECOND = 8;

/**
 * The slowest budget: below this, one interval would come near
 * {@link STALE_SCHEDULE_MS} and the schedule would read as stale.
 */
export const MIN_CALLS_PER_SECOND = 0.1;

/**
 * A schedule further ahead than this cannot come from honest traffic (it
 * would take tens of thousands of queued calls); it comes from a clock that
 * went back (a local stack restarted on an earlier virtual time). It is
 * started again from now rather than making every caller wait for it.
 */
export const STALE_SCHEDULE_MS = 3_600_000;

/** The spacing of calls, in whole milliseconds, rounded up so a second never holds more than the rate. */
export function callIntervalMs(callsPerSecond: number): number {
  if (!(callsPerSecond > 0)) throw new RangeError(`calls per second must be positive, got ${callsPerSecond}`);
  return Math.ceil(1000 / callsPerSecond);
}

/** The slot of the call that moved the schedule to `next`. */
export function slotOf(next: number, intervalMs: number): number {
  return next - intervalMs;
}

/** The schedule after a call at `now`, when the stored schedule is `stored` (undefined: never used). */
export function nextSchedule(stored: number | undefined, now: number, intervalMs: number): number {
  const idle = stored === undefined || stored < now || stored > now + STALE_SCHEDULE_MS;
  return (idle ? now : stored) + intervalMs;
}
