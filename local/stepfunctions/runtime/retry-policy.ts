/**
 * `Retry` and `ErrorEquals` as Step Functions applies them to a Task state:
 * the first retrier naming the error (or `States.ALL`, or `States.TaskFailed`,
 * which matches everything but `States.Timeout`) decides; once that retrier's
 * `MaxAttempts` are spent the error goes on to `Catch`. Pauses are
 * `IntervalSeconds * BackoffRate^attempt`, capped by `MaxDelaySeconds`, and
 * drawn uniformly below that with `JitterStrategy: FULL`.
 */

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'NONE' | 'FULL';
}

/** True when `errorName` matches one of `patterns` under the ASL rules. */
export function errorMatches(patterns: readonly string[], errorName: string): boolean {
  if (errorName === 'States.Runtime') return false;
  return patterns.some(
    (p) =>
      p === errorName || p === 'States.ALL' || (p === 'States.TaskFailed' && errorName !== 'States.Timeout'),
  );
}

/** Tracks the attempts of one state entry's retriers. */
export class RetryPolicy {
  private readonly attempts: number[];
  constructor(
    private readonly retriers: readonly Retrier[],
    private readonly random: () => number = Math.random,
  ) {
    this.attempts = retriers.map(() => 0);
  }

  /** The pause in ms before the next attempt, or `undefined` when the error is not to be retried. */
  next(errorName: string): number | undefined {
    const index = this.retriers.findIndex((r) => errorMatches(r.ErrorEquals, errorName));
    if (index < 0) return undefined;
    const retrier = this.retriers[index]!;
    const done = this.attempts[index]!;
    if (done >= (retrier.MaxAttempts ?? 3)) return undefined;
    this.attempts[index] = done + 1;
    let seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** done;
    if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
    const ms = seconds * 1000;
    return retrier.JitterStrategy === 'FULL' ? Math.floor(this.random() * ms) : ms;
  }
}
