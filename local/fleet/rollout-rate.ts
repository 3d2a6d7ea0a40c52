/**
 * The rollout rate of an AWS IoT job: how many things may be notified of a
 * pending job execution per minute (`jobExecutionsRolloutConfig`). The rate
 * after n increases is the domain's rule (`rolloutRateAfter`), which release
 * plans count with; here the increases are counted from the job's progress.
 *
 * - No rollout configuration, or no `maximumPerMinute`: 1000 per minute, the
 *   documented default and the highest rate AWS allows.
 * - `exponentialRate`: start at `baseRatePerMinute`; each time another
 *   `rateIncreaseCriteria.numberOfNotifiedThings` things have been notified
 *   (or another `numberOfSucceededThings` have succeeded) multiply the rate by
 *   `incrementFactor`; never above `maximumPerMinute` (1000 when unset).
 *   AWS's worked example: base 50, factor 2, 1000 notified: 50, 100, 200, 400.
 */
import type { JobExecutionsRolloutConfig } from '../../lib/domain/iot-job-settings.js';
import { rolloutRateAfter } from '../../lib/domain/release-plan-rollout.js';

/** What the exponential criteria count. */
export interface RolloutProgress {
  /** Distinct things notified so far. */
  readonly notifiedThings: number;
  /** Executions that have succeeded so far. */
  readonly succeededThings: number;
}

/** The rate in force, in notifications per minute (an integer, at least 1). */
export function rolloutRatePerMinute(
  config: JobExecutionsRolloutConfig | undefined,
  progress: RolloutProgress,
): number {
  const criteria = config?.exponentialRate?.rateIncreaseCriteria;
  const steps =
    criteria?.numberOfNotifiedThings !== undefined
      ? Math.floor(progress.notifiedThings / criteria.numberOfNotifiedThings)
      : criteria?.numberOfSucceededThings !== undefined
        ? Math.floor(progress.succeededThings / criteria.numberOfSucceededThings)
        : 0;
  return rolloutRateAfter(config, steps);
}

const windowSeconds = 60;

/**
 * The notification budget of one job, spent in whole virtual seconds.
 *
 * Two rules together:
 * - a hard one: the notifications of the last 60 one-second slots (the
 *   current one included) never exceed the rate, so no virtual minute window
 *   holds more than the rate;
 * - a pacing one: credit accrues at rate/60 per second, so 1000 per minute
 *   goes out as ~17 every second rather than 1000 at once then nothing.
 */
export class NotificationBudget {
  private readonly counts = new Array<number>(windowSeconds).fill(0);
  private readonly slotSecond = new Array<number>(windowSeconds).fill(Number.NEGATIVE_INFINITY);
  /** Start with one notification's credit, so the first thing is notified at once. */
  private credit = 1;
  private lastSecond: number | undefined;

  /** How many may be notified in virtual second `second` at `ratePerMinute`. */
  allowance(second: number, ratePerMinute: number): number {
    const perSecond = ratePerMinute / windowSeconds;
    const elapsed = this.lastSecond === undefined ? 1 : Math.max(0, second - this.lastSecond);
    // Credit does not pile up while idle beyond one second's worth (plus one).
    this.credit = Math.min(this.credit + perSecond * elapsed, perSecond + 1);
    this.lastSecond = second;
    return Math.max(0, Math.min(Math.floor(this.credit + 1e-9), ratePerMinute - this.inWindow(second)));
  }

  /** Records `count` notifications sent in `second`. */
  record(second: number, count: number): void {
    if (count === 0) return;
    const slot = ((second % windowSeconds) + windowSeconds) % windowSeconds;
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += count;
    this.credit -= count;
  }

  /** Notifications in the 60 seconds ending with `second`. */
  inWindow(second: number): number {
    let total = 0;
    for (let i = 0; i < windowSeconds; i++) {
      const at = this.slotSecond[i]!;
      if (at > second - windowSeconds && at <= second) total += this.counts[i]!;
    }
    return total;
  }
}
