import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';

describe('VirtualClock', () => {
  it('runs timers in time order, then schedule order, when advanced manually', async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: string[] = [];
    clock.schedule(2000, () => fired.push('b@2000'));
    clock.schedule(1000, () => fired.push('a@1000'));
    clock.schedule(2000, () => fired.push('c@2000'));
    clock.schedule(5000, () => fired.push('late'));
    await clock.advance(2000);
    expect(fired).toEqual(['a@1000', 'b@2000', 'c@2000']);
    expect(clock.now()).toBe(2000);
    expect(clock.pending).toBe(1);
  });

  it('sees time equal to the timer when the callback runs', async () => {
    const clock = new VirtualClock({ start: 0 });
    let seen = -1;
    clock.schedule(750, () => {
      seen = clock.now();
    });
    await clock.advance(10_000);
    expect(seen).toBe(750);
    expect(clock.now()).toBe(10_000);
  });

  it('runs timers scheduled by a timer within the same advance', async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: number[] = [];
    clock.schedule(100, () => {
      fired.push(clock.now());
      clock.schedule(clock.now() + 100, () => fired.push(clock.now()));
    });
    await clock.advance(1000);
    expect(fired).toEqual([100, 200]);
  });

  it('does not run a cancelled timer', async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: string[] = [];
    const handle = clock.schedule(100, () => fired.push('x'));
    clock.cancel(handle);
    await clock.advance(1000);
    expect(fired).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('never moves backwards', async () => {
    const clock = new VirtualClock({ start: 5000 });
    await clock.setTime(1000);
    expect(clock.now()).toBe(5000);
  });

  it('in max mode jumps straight to each timer without waiting', async () => {
    const clock = new VirtualClock({ start: 0, mode: { kind: 'max' } });
    const done = new Promise<number>((resolve) => {
      clock.schedule(24 * 3600_000, () => resolve(clock.now()));
    });
    clock.start();
    await expect(done).resolves.toBe(24 * 3600_000);
    clock.stop();
  });

  it("in max mode runs instant after instant in order, letting each instant's promise reactions settle first", async () => {
    const clock = new VirtualClock({ start: 0, mode: { kind: 'max' } });
    const seen: string[] = [];
    for (let second = 1; second <= 300; second++) {
      clock.schedule(second * 1000, () => {
        seen.push(`timer@${clock.now()}`);
        // A reaction a few promise hops away still sees the instant of its timer.
        void Promise.resolve()
          .then(() => undefined)
          .then(() => seen.push(`reaction@${clock.now()}`));
      });
    }
    const done = new Promise<void>((resolve) => clock.schedule(301_000, resolve));
    clock.start();
    await done;
    clock.stop();
    const expected = Array.from({ length: 300 }, (_, i) => [
      `timer@${(i + 1) * 1000}`,
      `reaction@${(i + 1) * 1000}`,
    ]).flat();
    expect(seen).toEqual(expected);
  });

  it('in max mode stops moving once stopped by a timer', async () => {
    const clock = new VirtualClock({ start: 0, mode: { kind: 'max' } });
    const fired: number[] = [];
    let stopped!: () => void;
    const stoppedAt = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    for (let second = 1; second <= 5; second++) {
      clock.schedule(second * 1000, () => {
        fired.push(clock.now());
        if (second === 3) {
          clock.stop();
          stopped();
        }
      });
    }
    clock.start();
    await stoppedAt;
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(fired).toEqual([1000, 2000, 3000]);
    expect(clock.now()).toBe(3000);
    expect(clock.pending).toBe(2);
  });

  it('in max mode does not move while held', async () => {
    const clock = new VirtualClock({ start: 0, mode: { kind: 'max' } });
    const release = clock.hold();
    let fired = false;
    clock.schedule(1000, () => {
      fired = true;
    });
    clock.start();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fired).toBe(false);
    expect(clock.now()).toBe(0);
    const done = new Promise<void>((resolve) => clock.schedule(2000, resolve));
    release();
    await done;
    expect(fired).toBe(true);
    clock.stop();
  });

  it('in scaled mode runs faster than wall time', async () => {
    const clock = new VirtualClock({ start: 0, mode: { kind: 'scaled', factor: 1000 } });
    const done = new Promise<void>((resolve) => clock.schedule(60_000, resolve));
    clock.start();
    await done; // one virtual minute at 1000x is 60 ms of wall time
    expect(clock.now()).toBeGreaterThanOrEqual(60_000);
    clock.stop();
  });

  it('in scaled mode waits for a timer more than 24.8 real days away in steps Node honours, without spinning', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      callback: () => void,
      delay?: number,
    ) => {
      delays.push(delay ?? 0);
      return realSetTimeout(callback, delay);
    }) as typeof setTimeout);
    const maxDelay = 2 ** 31 - 1;
    const dueAt = 30 * 24 * 3_600_000;
    const clock = new VirtualClock({ start: 0, mode: { kind: 'scaled', factor: 1 } });
    let fired = false;
    clock.schedule(dueAt, () => {
      fired = true;
    });
    try {
      clock.start();
      await vi.advanceTimersByTimeAsync(maxDelay);
      expect(fired).toBe(false);
      // One wait of the longest delay, then one re-arm for the rest: not a 1 ms loop.
      expect(delays).toEqual([maxDelay, dueAt - maxDelay]);
      await vi.advanceTimersByTimeAsync(dueAt - maxDelay);
      expect(fired).toBe(true);
    } finally {
      clock.stop();
      spy.mockRestore();
      vi.useRealTimers();
    }
  });
});
