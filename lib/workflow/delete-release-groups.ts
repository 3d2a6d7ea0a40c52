/**
 * Deleting the static thing groups a release created (its cohorts, its
 * follow-up jobs' groups, a retry's or rollback's target group) once the
 * release has ended, wherever it ends: the workflow's end tasks, and the
 * API's cancel, which stops the execution before the workflow gets there.
 *
 * Best effort: the release has already reached its final status, and a
 * group left behind costs a membership slot, not a wrong outcome. So a
 * failure is logged with the release id and never thrown: a throttled
 * DeleteThingGroup must not make a task retry (and republish its events),
 * nor turn a SUCCEEDED release into a failed workflow.
 */

import { isReleaseGroupDescription } from '../domain/cohorts.js';
import type { ReleaseWithWaves } from '../domain/release.js';
import { releaseGroupNames } from '../domain/release-groups.js';
import type { ReleaseStore } from '../domain/release-store.js';
import { logger } from '../logger.js';
import type { ThingGroups } from './ports.js';

/** Where a failure to delete is reported; the process's logger unless a caller (a test, the API) gives one. */
export type GroupDeletionWarn = (message: string, fields: Record<string, unknown>) => void;

const defaultWarn: GroupDeletionWarn = (message, fields) => logger().warn(message, fields);

const causeOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** Reports through `warn`; a logger that cannot report (its configuration broken) must not end the release either. */
function report(warn: GroupDeletionWarn, message: string, fields: Record<string, unknown>): void {
  try {
    warn(message, fields);
  } catch {
    // Nothing left to tell it to: the group stays, as it would have without this release.
  }
}

/**
 * Deletes every group {@link releaseGroupNames} names, one after the other
 * (a handful: DeleteThingGroup is rate-limited with the rest of the
 * registry's API), trying each even when one fails. Returns the names it
 * could not delete (empty when all went). Never throws.
 */
export async function deleteReleaseGroups(
  groups: Pick<ThingGroups, 'delete' | 'describe'>,
  loaded: ReleaseWithWaves,
  warn: GroupDeletionWarn = defaultWarn,
): Promise<string[]> {
  const left: string[] = [];
  const { releaseId } = loaded.release;
  for (const thingGroupName of releaseGroupNames(loaded)) {
    try {
      const group = await groups.describe(thingGroupName);
      if (group === undefined) continue;
      // A group of that name this release did not make (its description says so) is someone else's: left alone.
      if (!isReleaseGroupDescription(releaseId, group.description)) {
        left.push(thingGroupName);
        report(warn, 'thing group named like a group of this release, but not made by it: left', {
          releaseId,
          thingGroupName,
        });
        continue;
      }
      await groups.delete(thingGroupName);
    } catch (error) {
      left.push(thingGroupName);
      report(warn, 'thing group of an ended release not deleted', {
        releaseId: loaded.release.releaseId,
        thingGroupName,
        cause: causeOf(error),
      });
    }
  }
  return left;
}

/**
 * {@link deleteReleaseGroups} for a release read first, by id (where the
 * caller holds no fresh copy of it); a failure to read it is reported the
 * same way. Never throws.
 */
export async function deleteGroupsOfRelease(
  deps: { store: Pick<ReleaseStore, 'getRelease'>; groups: Pick<ThingGroups, 'delete' | 'describe'> },
  releaseId: string,
  warn: GroupDeletionWarn = defaultWarn,
): Promise<void> {
  let loaded: ReleaseWithWaves;
  try {
    loaded = await deps.store.getRelease(releaseId);
  } catch (error) {
    report(warn, 'thing groups of an ended release not deleted', { releaseId, cause: causeOf(error) });
    return;
  }
  await deleteReleaseGroups(deps.groups, loaded, warn);
}
