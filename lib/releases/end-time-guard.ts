/**
 * An answer to a scheduled release that comes at or after its end time:
 * the workflow ends the release by its end behaviour then (a gate's and a
 * hold's wait are cut there), so an approval, a rejection or a resume that
 * gets in first would let the release go on past its end, and the records
 * would disagree with what IoT did with the job. Refused instead.
 */
import { ConflictError } from '../domain/errors.js';
import type { Release } from '../domain/release.js';
import { endedWhen, endTimeReached } from '../domain/release-schedule.js';

/**
 * @throws ConflictError (409) when the release's end time has come at `nowMs`
 */
export function refuseAfterEndTime(
  release: Pick<Release, 'releaseId' | 'schedulingConfig' | 'createdAt'>,
  nowMs: number,
  what: string,
): void {
  if (!endTimeReached(release, nowMs)) return;
  throw new ConflictError(
    `Release ${release.releaseId} ended ${endedWhen(release)}; ${what} comes too late.`,
    release.releaseId,
  );
}
