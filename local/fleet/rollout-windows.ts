/**
 * The maintenance windows of one job, as the rollout asks about them once a
 * virtual second: may devices be notified now, and if not, from when. An
 * open span is remembered until it closes, so a rollout that ticks every
 * second through a window asks the cron expressions once per span (or per
 * hour of a span that goes on), not once per second.
 */
import {
  type MaintenanceWindow,
  type WindowSchedule,
  windowSchedule,
} from '../../lib/domain/maintenance-windows.js';

/** The rollout may go on now; or not, until `opensAt` (undefined: no window ever opens again). */
export type RolloutGate = { open: true } | { open: false; opensAt: number | undefined };

const OPEN: RolloutGate = { open: true };
/**
 * How far ahead an open state is followed, and trusted when its close lies
 * beyond: an hour of minute-long windows that touch is 60 cron steps.
 */
const OPEN_HORIZON_MS = 3_600_000;

export class RolloutWindows {
  private readonly schedule: WindowSchedule;
  /** The end of the open span last seen: the windows are open before it. */
  private openUntil = Number.NEGATIVE_INFINITY;
  private openFrom = Number.POSITIVE_INFINITY;

  /** `windows` as validated at CreateJob (at least one). */
  constructor(windows: readonly MaintenanceWindow[]) {
    this.schedule = windowSchedule(windows);
  }

  /** Whether devices may be notified at `now` (epoch ms). */
  gate(now: number): RolloutGate {
    if (now >= this.openFrom && now < this.openUntil) return OPEN;
    const state = this.schedule.stateAt(now, OPEN_HORIZON_MS);
    if (!state.open) return { open: false, opensAt: state.opensAt };
    this.openFrom = now;
    this.openUntil = state.closesAt ?? now + OPEN_HORIZON_MS;
    return OPEN;
  }
}
