/**
 * Recurring maintenance windows (`schedulingConfig.maintenanceWindows`): a
 * window opens at each start of its `cron(...)` expression and stays open
 * `durationInMinutes`. Several windows, or starts closer together than the
 * duration, open the rollout for the union of their spans. Times are epoch
 * milliseconds, UTC, as AWS reads the expressions.
 *
 * The same rules serve the local IoT (when devices may be notified), the
 * workflow (a wave waiting for its window) and release plans (how long a
 * rollout takes around its windows).
 */
import { type AwsCron, parseAwsCron } from './aws-cron.js';

/** One window as AWS IoT writes it. */
export interface MaintenanceWindow {
  /** `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, UTC. */
  startTime: string;
  /** 1 to 1430. */
  durationInMinutes: number;
}

/** Whether the rollout may go on at a given time, and until or from when. */
export type WindowState =
  /** `closesAt` undefined: the windows stay open for at least {@link OPEN_SPAN_HORIZON_MS}. */
  | { open: true; closesAt: number | undefined }
  /** `opensAt` undefined: no window opens within {@link OPENING_HORIZON_MS}. */
  | { open: false; opensAt: number | undefined };

const MINUTE_MS = 60_000;
/** How far ahead a closed schedule looks for its next opening (ms): the longest a job may run. */
export const OPENING_HORIZON_MS = 2 * 366 * 24 * 3_600_000;
/**
 * How far an open schedule follows joined spans to their end. Beyond it the
 * schedule counts as open (`closesAt` undefined), and callers look again
 * later: following an hourly two-hour window for two years would take seconds.
 */
const OPEN_SPAN_HORIZON_MS = 7 * 24 * 3_600_000;

/** A set of windows, parsed once. */
export interface WindowSchedule {
  readonly windows: readonly MaintenanceWindow[];
  /**
   * Whether the rollout may go on at `at`. An open state follows joined
   * spans at most `openHorizonMs` ahead (default a week) before it answers
   * `closesAt` undefined: a caller that asks again soon anyway (a rollout
   * ticking every second) passes a shorter one, since following minute-long
   * windows that touch costs a cron step per minute.
   */
  stateAt(at: number, openHorizonMs?: number): WindowState;
  /**
   * The next `count` window starts strictly after `after`, earliest first (at
   * most one per instant), each within {@link OPENING_HORIZON_MS} of the one before.
   */
  startsAfter(after: number, count: number): number[];
  /** How long, of `[from, to)`, the windows are open (ms). */
  openTimeBetween(from: number, to: number): number;
  /** The time at which the windows have been open `openMs` since `from`, or undefined when they never are. */
  afterOpenTime(from: number, openMs: number): number | undefined;
}

interface ParsedWindow {
  cron: AwsCron;
  durationMs: number;
  /** The starts of the days last asked about, by day number: a walk through joined spans reads a day at a time. */
  days: Map<number, readonly number[]>;
}

const DAY_MS = 24 * 3_600_000;
/** How many days of starts a window keeps: a walk moves forward, so a few are enough. */
const DAYS_KEPT = 8;

/** The starts of `w` on day number `day` (days since the epoch, UTC), kept for the next question. */
function startsOnDay(w: ParsedWindow, day: number): readonly number[] {
  let starts = w.days.get(day);
  if (starts === undefined) {
    if (w.days.size >= DAYS_KEPT) w.days.clear();
    starts = w.cron.startsOnDay(day * DAY_MS);
    w.days.set(day, starts);
  }
  return starts;
}

/**
 * The last start of `w` in `(after, at]`, or undefined. A window lasts at
 * most 1430 minutes, so callers ask about a day or two: this reads the
 * days' lists (one croner question per day) instead of asking croner once
 * per start, which made following one-minute windows cost a croner search
 * per minute.
 */
function lastStartIn(w: ParsedWindow, after: number, at: number): number | undefined {
  for (let day = Math.floor(at / DAY_MS); day >= Math.floor((after + 1) / DAY_MS); day--) {
    const starts = startsOnDay(w, day);
    // Binary search: the last start at or before `at`.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) return starts[lo - 1]! > after ? starts[lo - 1] : undefined;
  }
  return undefined;
}

/**
 * Parses `windows` (each expression as {@link parseAwsCron} accepts it).
 * Throws `Error` on an expression that does not parse: validate at the edge
 * first. No windows at all: always open.
 */
export function windowSchedule(windows: readonly MaintenanceWindow[]): WindowSchedule {
  const parsed: ParsedWindow[] = windows.map((w) => {
    const result = parseAwsCron(w.startTime);
    if (!result.ok) throw new Error(`maintenance window ${w.startTime} ${result.problem}`);
    return { cron: result.cron, durationMs: w.durationInMinutes * MINUTE_MS, days: new Map() };
  });

  /** The end of the latest span covering `at`, if any (the latest start has the latest end). */
  const coveringEnd = (at: number): number | undefined => {
    let end: number | undefined;
    for (const w of parsed) {
      // Only a start within one duration of `at` can cover it.
      const start = lastStartIn(w, at - w.durationMs, at);
      if (start !== undefined) end = Math.max(end ?? 0, start + w.durationMs);
    }
    return end;
  };

  /** The first start after `after`, up to the horizon (a cron that never fires costs a look at a few years). */
  const nextStart = (after: number): number | undefined => {
    let next: number | undefined;
    for (const w of parsed) {
      const start = w.cron.nextStart(after, after + OPENING_HORIZON_MS + 1);
      if (start !== undefined && (next === undefined || start < next)) next = start;
    }
    return next;
  };

  const stateAt = (at: number, openHorizonMs = OPEN_SPAN_HORIZON_MS): WindowState => {
    if (parsed.length === 0) return { open: true, closesAt: undefined };
    let end = coveringEnd(at);
    if (end === undefined) {
      const opensAt = nextStart(at);
      return { open: false, opensAt };
    }
    // Spans that overlap or touch keep the rollout open: follow them to the first gap.
    for (let next = coveringEnd(end); next !== undefined; next = coveringEnd(end)) {
      end = next;
      if (end - at > openHorizonMs) return { open: true, closesAt: undefined };
    }
    return { open: true, closesAt: end };
  };

  const openTimeBetween = (from: number, to: number): number => {
    let open = 0;
    for (let t = from; t < to; ) {
      // Joined spans are followed only as far as the question needs: open beyond `to` is open to `to`.
      const state = stateAt(t, to - t);
      if (state.open) {
        const until = Math.min(state.closesAt ?? to, to);
        open += until - t;
        t = until;
      } else {
        if (state.opensAt === undefined) break;
        t = state.opensAt;
      }
    }
    return open;
  };

  const afterOpenTime = (from: number, openMs: number): number | undefined => {
    let left = openMs;
    for (let t = from; ; ) {
      // Joined spans are followed only as far as the open time still wanted: open beyond it, done.
      const state = stateAt(t, left);
      if (state.open) {
        const until = state.closesAt ?? t + left;
        if (until - t >= left) return t + left;
        left -= until - t;
        t = until;
      } else {
        if (state.opensAt === undefined) return undefined;
        t = state.opensAt;
      }
    }
  };

  const startsAfter = (after: number, count: number): number[] => {
    const starts: number[] = [];
    for (let t = after; starts.length < count; ) {
      const next = nextStart(t);
      if (next === undefined) break;
      starts.push(next);
      t = next;
    }
    return starts;
  };

  return { windows, stateAt, startsAfter, openTimeBetween, afterOpenTime };
}
