/**
 * The clock the emulator keeps time with. Waits, retry pauses and task
 * timeouts are timers on it; while a task handler runs, the clock is held so a
 * clock in max mode does not leap past the I/O the handler is doing.
 */
import type { SchedulingClock } from '../../clock/clock.js';

/** A scheduling clock that may also be held (the VirtualClock can). */
export interface StepFunctionsClock extends SchedulingClock {
  hold?(): () => void;
}

/** Raised inside an execution's tasks once the execution is stopped or timed out. */
export class ExecutionClosedError extends Error {
  override readonly name = 'ExecutionClosedError';
  constructor() {
    super('The execution is no longer running');
  }
  // Read by the library: a stopped execution's task error is neither retried nor caught.
  get isRetryable(): boolean {
    return false;
  }
  get isCatchable(): boolean {
    return false;
  }
}

/** Holds the clock if it can be held; returns the release function. */
export function holdClock(clock: StepFunctionsClock): () => void {
  return clock.hold ? clock.hold() : () => undefined;
}

/**
 * Resolves once virtual time reaches `at` (at once if it already has);
 * rejects with {@link ExecutionClosedError} if `signal` aborts first.
 */
export function sleepUntil(clock: StepFunctionsClock, at: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new ExecutionClosedError());
  if (at <= clock.now()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clock.cancel(timer);
      reject(new ExecutionClosedError());
    };
    const timer = clock.schedule(at, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** ISO-8601 text of a virtual instant, as Step Functions writes timestamps into the context object. */
export const isoAt = (ms: number): string => new Date(ms).toISOString();
