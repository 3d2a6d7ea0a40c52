/**
 * Step timers: a device that takes or updates an execution with
 * `stepTimeoutInMinutes` must report again before it runs out, or the
 * execution is TIMED_OUT. Each timer is one clock timer, replaced by the
 * next update that sets one, taken back by -1 and by the execution leaving
 * IN_PROGRESS. A timer belongs to one attempt: an attempt that ended
 * another way (the in-progress timeout, a forced cancel) leaves it to run
 * out harmlessly, and the next attempt never reads it. DeleteJob takes a
 * job's timers back. Timers live in memory: a restart with `--data-dir` keeps the
 * job's in-progress timeout, not step timers.
 */
import type { SchedulingClock, TimerHandle } from '../../clock/clock.js';

interface StepTimer {
  readonly handle: TimerHandle;
  readonly at: number;
  /** The attempt (execution number) that set it. */
  readonly attempt: number;
}

const keyOf = (jobId: string, thingName: string) => `${jobId}\n${thingName}`;

export class StepTimers {
  private readonly timers = new Map<string, StepTimer>();

  constructor(private readonly clock: SchedulingClock) {}

  /** Starts (or restarts) the step timer of an execution's attempt; `expire` runs when it runs out. */
  set(jobId: string, thingName: string, attempt: number, minutes: number, expire: () => void): void {
    this.clear(jobId, thingName);
    const key = keyOf(jobId, thingName);
    const at = this.clock.now() + minutes * 60_000;
    const handle = this.clock.schedule(at, () => {
      if (this.timers.get(key)?.handle !== handle) return;
      this.timers.delete(key);
      expire();
    });
    this.timers.set(key, { handle, at, attempt });
  }

  /** Takes the execution's step timer back, if it has one. */
  clear(jobId: string, thingName: string): void {
    const key = keyOf(jobId, thingName);
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    this.clock.cancel(timer.handle);
    this.timers.delete(key);
  }

  /** Takes back every step timer of a job (it was deleted: a new job may take its id). */
  clearJob(jobId: string): void {
    const prefix = keyOf(jobId, '');
    for (const [key, timer] of this.timers) {
      if (!key.startsWith(prefix)) continue;
      this.clock.cancel(timer.handle);
      this.timers.delete(key);
    }
  }

  /** When the step timer of the execution's attempt runs out (epoch ms), undefined with none. */
  deadline(jobId: string, thingName: string, attempt: number): number | undefined {
    const timer = this.timers.get(keyOf(jobId, thingName));
    return timer?.attempt === attempt ? timer.at : undefined;
  }
}
