/**
 * Step timers: a device that takes or updates an execution with
 * `stepTimeoutInMinutes` must report again before it runs out, or the
 * execution is TIMED_OUT. Each timer is one clock timer, replaced by the
 * next update that sets one, taken back by -1 and by the execution leaving
 * IN_PROGRESS. Timers live in memory: a restart with `--data-dir` keeps the
 * job's in-progress timeout, not step timers.
 */
import type { SchedulingClock, TimerHandle } from '../../clock/clock.js';

interface StepTimer {
  readonly handle: TimerHandle;
  readonly at: number;
}

const keyOf = (jobId: string, thingName: string) => `${jobId}\n${thingName}`;

export class StepTimers {
  private readonly timers = new Map<string, StepTimer>();

  constructor(private readonly clock: SchedulingClock) {}

  /** Starts (or restarts) the step timer of an execution; `expire` runs when it runs out. */
  set(jobId: string, thingName: string, minutes: number, expire: () => void): void {
    this.clear(jobId, thingName);
    const key = keyOf(jobId, thingName);
    const at = this.clock.now() + minutes * 60_000;
    const handle = this.clock.schedule(at, () => {
      if (this.timers.get(key)?.handle !== handle) return;
      this.timers.delete(key);
      expire();
    });
    this.timers.set(key, { handle, at });
  }

  /** Takes the execution's step timer back, if it has one. */
  clear(jobId: string, thingName: string): void {
    const key = keyOf(jobId, thingName);
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    this.clock.cancel(timer.handle);
    this.timers.delete(key);
  }

  /** When the execution's step timer runs out (epoch ms), undefined with none. */
  deadline(jobId: string, thingName: string): number | undefined {
    return this.timers.get(keyOf(jobId, thingName))?.at;
  }
}
