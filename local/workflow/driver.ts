/**
 * Drives workflows on a manual virtual clock: wait (in wall time, bounded)
 * until no task handler is running and the executions are parked on a
 * timer, check what the caller waits for, then move virtual time to the
 * Step Functions endpoint's next timer, and again. Time never moves while
 * a handler does I/O, and never sleeps: a week of simulated rollout takes
 * as many steps as the workflow has wake-ups.
 */
import type { VirtualClock } from '../clock/virtual-clock.js';
import type { TaskTracker } from './task-tracker.js';
import type { TrackedClock } from './timer-tracker.js';

export interface RunUntilOptions {
  /** Virtual time the run may take, from now; default 30 days. */
  maxVirtualMs?: number;
  /** Wake-ups the run may take; default 10,000. */
  maxSteps?: number;
  /** What the caller waits for, for the error message. */
  what?: string;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WorkflowDriver {
  constructor(
    private readonly clock: VirtualClock,
    private readonly timers: TrackedClock,
    private readonly tasks: TaskTracker,
  ) {}

  /**
   * Resolves once no task handler is running and, for a few event-loop turns
   * in a row, none has started: the executions wait on a timer, a task
   * token, or have closed. Gives up after `timeoutMs` of wall time.
   */
  async settle(timeoutMs = 60_000): Promise<void> {
    const giveUp = Date.now() + timeoutMs;
    let quiet = 0;
    let seen = this.tasks.started;
    while (Date.now() < giveUp) {
      await turn();
      const still = this.tasks.inFlight === 0 && this.tasks.started === seen;
      seen = this.tasks.started;
      // A parked execution has a timer; with none, give the library longer to start its next task.
      quiet = still ? quiet + 1 : 0;
      if (quiet >= (this.timers.pendingTimers > 0 ? 3 : 10)) return;
      if (!still || quiet > 2) await pause(1);
    }
    throw new Error(`workflow tasks still running after ${timeoutMs} ms of wall time`);
  }

  /** Moves from wake-up to wake-up until `done()` holds (checked after each settles). */
  async runUntil(done: () => Promise<boolean> | boolean, options: RunUntilOptions = {}): Promise<void> {
    const deadline = this.clock.now() + (options.maxVirtualMs ?? 30 * 86_400_000);
    const maxSteps = options.maxSteps ?? 10_000;
    const what = options.what ?? 'the condition';
    for (let step = 0; step <= maxSteps; step++) {
      await this.settle();
      if (await done()) return;
      const next = this.timers.nextDueAt();
      if (next === undefined) throw new Error(`waiting for ${what}, but no workflow timer is pending`);
      if (next > deadline) {
        throw new Error(
          `waiting for ${what}: not reached within ${options.maxVirtualMs ?? 'the'} ms of virtual time`,
        );
      }
      // Work set off on the way (an IoT job event waking a wave) stops the move: look again first.
      await this.clock.setTime(next, { stopWhenHeld: true });
    }
    throw new Error(`waiting for ${what}: not reached in ${maxSteps} wake-ups`);
  }
}
