/**
 * The virtual clock as the Step Functions endpoint sees it, with a record
 * of the timers the endpoint has pending (Wait states, retry pauses, task
 * timeouts). Those are the only moments a parked execution can move again,
 * so a manual-clock test advances straight to the next one; the fleet's
 * timers in between run on the way, synchronously.
 */
import type { VirtualClock } from '../clock/virtual-clock.js';
import type { StepFunctionsClock } from '../stepfunctions/index.js';

export interface TrackedClock extends StepFunctionsClock {
  /** The earliest pending timer of the Step Functions endpoint, virtual epoch ms. */
  nextDueAt(): number | undefined;
  /** How many timers the endpoint has pending. */
  readonly pendingTimers: number;
}

export function trackTimers(clock: VirtualClock): TrackedClock {
  const pending = new Map<number, number>();
  return {
    now: () => clock.now(),
    schedule(at, callback) {
      const handle = clock.schedule(at, () => {
        pending.delete(handle.id);
        callback();
      });
      pending.set(handle.id, at);
      return handle;
    },
    cancel(handle) {
      pending.delete(handle.id);
      clock.cancel(handle);
    },
    hold: () => clock.hold(),
    nextDueAt() {
      let next: number | undefined;
      for (const at of pending.values()) if (next === undefined || at < next) next = at;
      return next;
    },
    get pendingTimers() {
      return pending.size;
    },
  };
}
