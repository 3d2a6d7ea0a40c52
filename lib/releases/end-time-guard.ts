/**
 * An answer to a scheduled release that comes at or after its end time:
 * the workflow ends the release by its end behaviour then (a gate's and a
 * hold's wait are cut there), so an approval, a rejection or a resume that
 * gets in first would let the release go on past its end, and the records
 * would disagree with what IoT did with the job. Refused instead.
 */
import { ConflictError } from '../domain/errors.js';
import type { Release } from '../domain/release.js';
import { endTimeReached, scheduledEndMs, workflowEndMs } from '../domain/release-schedule.js';
import { formatScheduleTime } from '../domain/schedule-time.js';

/**
 * @throws ConflictError (409) when the release's end time has come at `nowMs`
 */
export function refuseAfterEndTime(
  release: Pick<Release, 'releaseId' | 'schedulingConfig' | 'createdAt'>,
  nowMs: number,
  what: string,
): void {
  if (!endTimeReached(release, nowMs)) return;
  const endMs = workflowEndMs(release);
  // Without an endTime of its own, the end is its lifetime's (364 days after it was created).
  const when =
    release.schedulingConfig?.endTime !== undefined && endMs === scheduledEndMs(release)
      ? `at its end time ${release.schedulingConfig.endTime} UTC`
      : `at the end of its lifetime ${endMs === undefined ? '' : formatScheduleTime(endMs)} UTC`;
  throw new ConflictError(
    `Release ${release.releaseId} ended ${when}; ${what} comes too late.`,
    release.releaseId,
  );
}
