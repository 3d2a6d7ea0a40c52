/**
 * The virtual clock: a timer queue (binary min-heap) over a virtual "now".
 * See {@link TimeMode} for how time moves. Tests use manual mode and call
 * `advance`; `npm start` uses scaled mode; benchmarks use max mode.
 */
import type { SchedulingClock, TimeMode, TimerHandle } from './clock.js';

/** The longest delay `setTimeout` honours (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface Entry {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

export interface VirtualClockOptions {
  /** Virtual epoch ms at construction; defaults to the wall clock. */
  start?: number;
  mode?: TimeMode;
}

export class VirtualClock implements SchedulingClock {
  private virtualAtAnchor: number;
  private realAtAnchor = performance.now();
  private mode: TimeMode;
  private readonly heap: Entry[] = [];
  private readonly byId = new Map<number, Entry>();
  private seq = 0;
  private holds = 0;
  /** A `runUntil` waiting for the holds to be released. */
  private readonly unheld: (() => void)[] = [];
  private running = false;
  private driver: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private draining = false;

  constructor(options: VirtualClockOptions = {}) {
    this.virtualAtAnchor = options.start ?? Date.now();
    this.mode = options.mode ?? { kind: 'manual' };
  }

  now(): number {
    if (this.running && this.mode.kind === 'scaled' && this.holds === 0) {
      return this.virtualAtAnchor + (performance.now() - this.realAtAnchor) * this.mode.factor;
    }
    return this.virtualAtAnchor;
  }

  get timeMode(): TimeMode {
    return this.mode;
  }

  /** Number of timers still waiting. */
  get pending(): number {
    return this.byId.size;
  }

  schedule(at: number, callback: () => void): TimerHandle {
    const entry: Entry = { at, seq: ++this.seq, callback, cancelled: false };
    this.byId.set(entry.seq, entry);
    this.push(entry);
    if (this.running && this.heap[0] === entry) this.rearm();
    return { id: entry.seq, at };
  }

  cancel(handle: TimerHandle): void {
    const entry = this.byId.get(handle.id);
    if (!entry) return;
    entry.cancelled = true;
    this.byId.delete(handle.id);
  }

  /** Moves virtual time forward by `ms`, running every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    await this.runUntil(this.now() + ms);
  }

  /**
   * Moves virtual time to `at` (never backwards), running every timer that falls due. With
   * `stopWhenHeld`, stops at the first instant whose timers set off held work (a handler's I/O),
   * once it is done: a driver then looks before moving on. Returns the time reached.
   */
  async setTime(at: number, options: { stopWhenHeld?: boolean } = {}): Promise<number> {
    await this.runUntil(Math.max(at, this.now()), options.stopWhenHeld ?? false);
    return this.now();
  }

  /** Changes how time moves; a running clock keeps running in the new mode. */
  setMode(mode: TimeMode): void {
    this.freeze();
    this.mode = mode;
    if (this.running) this.rearm();
  }

  /** Lets time move on its own (scaled and max modes). Manual mode ignores it. */
  start(): void {
    this.freeze();
    this.running = true;
    this.rearm();
  }

  /** Stops time moving on its own and clears the driver so the process can exit. */
  stop(): void {
    this.freeze();
    this.running = false;
    this.clearDriver();
  }

  /**
   * Stops time while asynchronous work that must not see time jump is under
   * way (a Step Functions task calling the IoT endpoint, say). Returns the
   * function that releases the hold.
   */
  hold(): () => void {
    this.freeze();
    this.holds++;
    this.clearDriver();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.freeze();
      this.holds--;
      // A waiting move re-checks its own condition.
      for (const resume of this.unheld.splice(0)) resume();
      if (this.holds === 0 && this.running) this.rearm();
    };
  }

  /** `settled`: the caller has just given the event loop a turn, so the first new instant needs none. */
  private async runUntil(target: number, stopWhenHeld = false, settled = false): Promise<void> {
    this.freeze();
    let lastTime = this.virtualAtAnchor;
    let turnTaken = settled;
    let waited = false;
    // Holds taken before this move (a caller holding the running clock around it) are its own.
    const base = this.holds;
    for (;;) {
      // Held: work started at this instant (a handler's I/O) finishes before time moves on, and
      // what it set off (the next state of a workflow, say) gets a few turns to hold or schedule.
      if (this.holds > base) {
        await new Promise<void>((resolve) => this.unheld.push(resolve));
        waited = true;
        continue;
      }
      if (waited) {
        waited = false;
        await this.quietTurns(base);
        if (stopWhenHeld && this.holds <= base) return;
        continue;
      }
      const top = this.peekLive();
      if (!top || top.at > target) break;
      this.pop();
      this.byId.delete(top.seq);
      if (top.at > this.virtualAtAnchor) this.setAnchor(top.at);
      if (this.virtualAtAnchor !== lastTime) {
        lastTime = this.virtualAtAnchor;
        // Let promise reactions of the previous instant settle before time moves on.
        if (!turnTaken) await new Promise<void>((resolve) => setImmediate(resolve));
        turnTaken = false;
      }
      top.callback();
    }
    if (target > this.virtualAtAnchor) this.setAnchor(target);
  }

  /** A few event-loop turns, cut short when something holds the clock. */
  private async quietTurns(base: number): Promise<void> {
    for (let turn = 0; turn < 10 && this.holds <= base; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Fixes virtual time at its current value, so a later mode change starts from here. */
  private freeze(): void {
    this.setAnchor(this.now());
  }

  private setAnchor(virtual: number): void {
    this.virtualAtAnchor = virtual;
    this.realAtAnchor = performance.now();
  }

  private rearm(): void {
    this.clearDriver();
    if (!this.running || this.holds > 0 || this.mode.kind === 'manual') return;
    const top = this.peekLive();
    if (!top) return;
    if (this.mode.kind === 'max') {
      this.driver = setImmediate(() => void this.drive(top.at));
      return;
    }
    // Node fires a longer delay after 1 ms (and warns): wait the longest it takes, and re-arm from there.
    const realDelay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, (top.at - this.now()) / this.mode.factor));
    this.driver = setTimeout(
      () => void this.drive(this.mode.kind === 'scaled' ? this.now() : top.at),
      realDelay,
    );
  }

  private async drive(target: number): Promise<void> {
    this.driver = undefined;
    if (this.draining) return;
    this.draining = true;
    try {
      await this.runUntil(target);
      // Max mode goes on to the next instant in this same drive. One event-loop turn, taken while
      // time still stands at the instant just run, lets its promise reactions and what they set
      // off settle (as the driver's re-arm did); `runUntil` then takes no second turn of its own
      // before the new instant. A long rollout moves through tens of thousands of instants.
      while (this.nextMaxInstant() !== undefined) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const next = this.nextMaxInstant();
        if (next === undefined) break;
        await this.runUntil(next, false, true);
      }
    } finally {
      this.draining = false;
    }
    this.rearm();
  }

  /** The next instant a running max-mode clock moves to on its own, when it is later than now and nothing holds the clock. */
  private nextMaxInstant(): number | undefined {
    if (!this.running || this.holds > 0 || this.mode.kind !== 'max') return undefined;
    const top = this.peekLive();
    return top !== undefined && top.at > this.virtualAtAnchor ? top.at : undefined;
  }

  private clearDriver(): void {
    if (this.driver === undefined) return;
    clearTimeout(this.driver as NodeJS.Timeout);
    clearImmediate(this.driver as NodeJS.Immediate);
    this.driver = undefined;
  }

  private peekLive(): Entry | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private static before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!VirtualClock.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && VirtualClock.before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && VirtualClock.before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
