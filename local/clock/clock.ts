/**
 * The time source of the local stack. Every time-based rule of the emulated
 * services (rollout rates, timeouts, device latencies, Step Functions waits)
 * reads this clock instead of `Date.now()`, so a day-long rollout can be
 * rehearsed in seconds and a test can move time forward explicitly.
 */

/** How virtual time moves on its own. */
export type TimeMode =
  /** Only `advance`/`setTime` move time: what tests use. */
  | { kind: 'manual' }
  /** Virtual time runs `factor` times faster than wall time (1 = real time). */
  | { kind: 'scaled'; factor: number }
  /** Virtual time jumps straight to the next scheduled timer: as fast as the CPU allows. */
  | { kind: 'max' };

export interface TimerHandle {
  readonly id: number;
  readonly at: number;
}

/** Read-only view of the clock, for code that only needs the time. */
export interface Clock {
  /** Virtual epoch milliseconds. */
  now(): number;
}

/** A clock that can also run callbacks at virtual times. */
export interface SchedulingClock extends Clock {
  /** Runs `callback` once virtual time reaches `at` (epoch ms). Callbacks at the same time run in schedule order. */
  schedule(at: number, callback: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}
