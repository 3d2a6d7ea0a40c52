/**
 * Batches the simulator's work into whole virtual seconds: every task due in
 * the same second shares one clock timer and runs in the order it was added.
 *
 * A rollout of 100,000 executions thus costs a few thousand timers, not a
 * few hundred thousand, and the clock yields to the event loop once per
 * virtual second rather than once per execution. IoT reports times in whole
 * seconds, so nothing visible is lost.
 *
 * A task is a function and three numbers (an execution's position, its
 * attempt, a code): the simulator schedules a device's next step with a
 * function made once per job, so a million steps allocate no closure each.
 */
import type { SchedulingClock, TimerHandle } from '../clock/clock.js';

/** Work due in a second: called with the three numbers it was scheduled with. */
export type WheelTask = (a: number, b: number, c: number) => void;

interface Bucket {
  readonly handle: TimerHandle;
  readonly tasks: WheelTask[];
  /** Three numbers per task. */
  readonly args: number[];
}

/** The first whole second (epoch ms) at or after `ms`. */
export function ceilSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}

export class SecondWheel {
  /** Keyed by epoch second, not millisecond: a small integer keeps the map's keys unboxed. */
  private readonly buckets = new Map<number, Bucket>();
  /** The bucket added to last: a tick adds a run of steps to the same few seconds. */
  private lastSecond = Number.NaN;
  private lastBucket: Bucket | undefined;

  constructor(private readonly clock: SchedulingClock) {}

  /** Runs `task(a, b, c)` at the first whole second at or after `timeMs` (never in the past). */
  at(timeMs: number, task: WheelTask, a = 0, b = 0, c = 0): void {
    const second = Math.ceil(Math.max(timeMs, this.clock.now()) / 1000);
    let bucket = second === this.lastSecond ? this.lastBucket : this.buckets.get(second);
    if (!bucket) {
      bucket = {
        handle: this.clock.schedule(second * 1000, () => this.run(second)),
        tasks: [],
        args: [],
      };
      this.buckets.set(second, bucket);
    }
    this.lastSecond = second;
    this.lastBucket = bucket;
    bucket.tasks.push(task);
    bucket.args.push(a, b, c);
  }

  /** Drops every waiting task. */
  clear(): void {
    for (const bucket of this.buckets.values()) this.clock.cancel(bucket.handle);
    this.buckets.clear();
    this.forgetLast();
  }

  private run(second: number): void {
    const bucket = this.buckets.get(second);
    if (!bucket) return;
    // Tasks added for this same second while it runs join the end of the
    // list (the loop reads the length afresh), so they run now too.
    const { tasks, args } = bucket;
    try {
      for (let i = 0; i < tasks.length; i++) tasks[i]!(args[3 * i]!, args[3 * i + 1]!, args[3 * i + 2]!);
    } finally {
      this.buckets.delete(second);
      if (this.lastBucket === bucket) this.forgetLast();
    }
  }

  private forgetLast(): void {
    this.lastSecond = Number.NaN;
    this.lastBucket = undefined;
  }
}
