/**
 * A doorbell between the notify-next stream and the job loop. A ring that comes
 * while nobody waits is kept, so a job queued between an empty start-next and
 * the next wait is not missed.
 */
export class Wakeup {
  private rung = false;
  private waiter: (() => void) | undefined;

  /** Rings: wakes the waiter, or is kept for the next wait. */
  ring(): void {
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = undefined;
      wake();
    } else {
      this.rung = true;
    }
  }

  /** Forgets a kept ring: called just before asking the service, which answers for everything so far. */
  clear(): void {
    this.rung = false;
  }

  /** Resolves on the next ring (at once if one is kept), or when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void> {
    if (this.rung || signal.aborted) {
      this.rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.waiter = undefined;
        resolve();
      };
      this.waiter = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
