/**
 * A task's `TimeoutSeconds` and `HeartbeatSeconds`, kept on the virtual
 * clock. `expired` rejects with `States.Timeout`, `States.HeartbeatTimeout`,
 * or {@link ExecutionClosedError} when the execution stops; a task races its
 * work against it.
 */
import { ExecutionClosedError, type StepFunctionsClock } from './clock.js';
import { TaskFailure } from './task-failure.js';

export interface DeadlineOptions {
  /** Virtual ms at which the whole task times out. */
  timeoutAt?: number;
  /** Heartbeat interval in ms, counted from `since` and from each heartbeat. */
  heartbeatMs?: number;
  since: number;
}

export class TaskDeadline {
  readonly expired: Promise<never>;
  private reject!: (reason: Error) => void;
  private timers: Array<{ id: number; at: number }> = [];
  private lastBeat: number;
  private readonly onAbort = () => this.fire(new ExecutionClosedError());

  constructor(
    private readonly clock: StepFunctionsClock,
    private readonly signal: AbortSignal,
    private readonly options: DeadlineOptions,
  ) {
    this.lastBeat = options.since;
    this.expired = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    // Racing settles the work first most of the time; the rejection is then unobserved on purpose.
    this.expired.catch(() => undefined);
    if (signal.aborted) {
      this.onAbort();
      return;
    }
    signal.addEventListener('abort', this.onAbort, { once: true });
    if (options.timeoutAt !== undefined) {
      this.timers.push(clock.schedule(options.timeoutAt, () => this.fire(new TaskFailure('States.Timeout'))));
    }
    this.armHeartbeat();
  }

  /** Records a heartbeat (SendTaskHeartbeat). */
  heartbeat(): void {
    this.lastBeat = this.clock.now();
  }

  /** Cancels the timers; call once the work has settled. */
  dispose(): void {
    for (const timer of this.timers) this.clock.cancel(timer);
    this.timers = [];
    this.signal.removeEventListener('abort', this.onAbort);
  }

  private armHeartbeat(): void {
    const every = this.options.heartbeatMs;
    if (every === undefined) return;
    this.timers.push(
      this.clock.schedule(this.lastBeat + every, () => {
        if (this.clock.now() >= this.lastBeat + every) this.fire(new TaskFailure('States.HeartbeatTimeout'));
        else this.armHeartbeat();
      }),
    );
  }

  private fire(reason: Error): void {
    this.dispose();
    this.reject(reason);
  }
}
