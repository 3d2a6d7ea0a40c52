/**
 * The maintenance windows of one job, as the rollout asks about them once a
 * virtual second: may devices be notified now, and if not, from when. An
 * open span is remembered until it closes, so a rollout that ticks every
 * second through a window asks the cron expressions once per span (or per
 * hour of a span that goes on), and once per closed stretch, not once per
 * second.
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
  /** The open span last seen: the windows are open in `[openFrom, openUntil)`. */
  private openUntil = Number.NEGATIVE_INFINITY;
  private openFrom = Number.POSITIVE_INFINITY;
  /** The closed stretch last seen: no window opens in `[closedFrom, closedUntil)`. */
  private closedFrom = Number.POSITIVE_INFINITY;
  private closedUntil = Number.NEGATIVE_INFINITY;

  /** `windows` as validated at CreateJob (at least one). */
  constructor(windows: readonly MaintenanceWindow[]) {
    this.schedule = windowSchedule(windows);
  }

  /** Whether devices may be notified at `now` (epoch ms). */
  gate(now: number): RolloutGate {
    if (now >= this.openFrom && now < this.openUntil) return OPEN;
    if (now >= this.closedFrom && now < this.closedUntil) return { open: false, opensAt: this.closedUntil };
    const state = this.schedule.stateAt(now, OPEN_HORIZON_MS);
    if (!state.open) {
      if (state.opensAt !== undefined) {
        this.closedFrom = now;
        this.closedUntil = state.opensAt;
      }
      return { open: false, opensAt: state.opensAt };
    }
    this.openFrom = now;
    this.openUntil = state.closesAt ?? now + OPEN_HORIZON_MS;
    return OPEN;
  }
}
