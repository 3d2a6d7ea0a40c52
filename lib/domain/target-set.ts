/**
 * The rule that says which things a retry or a rollback targets, and the
 * listings it reads them from. A thing is in the target set when one of its
 * executions in the source release's wave jobs finished in one of the set's
 * statuses (retry: FAILED, TIMED_OUT, REJECTED; rollback: SUCCEEDED).
 *
 * That is "its latest execution finished so" for every thing a release can
 * reach once: percentage waves are disjoint cohorts, and a wave's follow-up
 * job only holds things whose execution in the wave's earlier jobs never
 * started (CANCELED there before it ran), so a thing finishes at most one
 * execution per wave; a CANCELED or REMOVED execution changed nothing on
 * the device and puts no thing in any set. Only waves that name the same
 * thing in their own targets give it a finished execution in two waves;
 * the rule then takes it if either counts (docs/workflow.md says why).
 */
import { ConflictError } from './errors.js';
import type { Release, ReleaseWithWaves } from './release.js';
import type { HeldReleaseChange } from './release-pause-store.js';
import type { Changed, TargetSetGathered } from './release-store.js';
import { waveJobIds } from './wave-job.js';

/** One listing the gather reads: the executions of one job that are in one status. */
export interface TargetListing {
  jobId: string;
  status: string;
  /**
   * The job may never have been created: it is the last job of a wave that
   * ended FAILED or CANCELED, which the workflow records before CreateJob
   * (a release canceled, or a StartWave that failed, in between). Such a
   * job that IoT does not know has no executions; any other is a job gone.
   */
  mayBeMissing: boolean;
}

/**
 * Every listing of the source's executions the set needs, in a fixed order
 * (wave, then the wave's jobs in creation order, then `statuses`): a cursor
 * into this list stays valid between invocations, since an ended release's
 * jobs no longer change.
 */
export function targetListings(source: ReleaseWithWaves, statuses: readonly string[]): TargetListing[] {
  return source.waves.flatMap((wave) => {
    const jobIds = waveJobIds(wave);
    const endedShort = wave.status === 'FAILED' || wave.status === 'CANCELED';
    return jobIds.flatMap((jobId, i) =>
      statuses.map((status) => ({ jobId, status, mayBeMissing: endedShort && i === jobIds.length - 1 })),
    );
  });
}

/**
 * The things of `executions` that are in the set, each once, sorted: the
 * rule itself, applied to the executions of every job of the source.
 */
export function targetThings(
  executions: Iterable<{ thingName: string; status: string }>,
  statuses: readonly string[],
): string[] {
  const wanted = new Set(statuses);
  const things = new Set<string>();
  for (const { thingName, status } of executions) if (wanted.has(status)) things.add(thingName);
  return [...things].sort();
}

/**
 * Whether two waves of `release` may hold the same thing, so that counting
 * the executions found may count a thing twice: only a wave that names its
 * own targets can repeat a thing of another wave.
 */
export function wavesMayShareThings(release: Pick<Release, 'waves'>): boolean {
  return release.waves.length > 1 && release.waves.some((wave) => wave.percentage === undefined);
}

/**
 * {@link ReleaseStore.recordTargetSetGathered} over a store's one-write
 * change: `things` and `gatheredAt` together, once. A set recorded already
 * is kept as it is (a retried or concurrent gather): `changed: false`.
 * @throws ConflictError for a release that has no target set
 */
export async function recordTargetSetWith(
  change: HeldReleaseChange,
  gathered: TargetSetGathered & { at: string },
): Promise<Changed<Release>> {
  const { value, changed } = await change((current) => {
    const { release } = current;
    if (!release.targetSet) {
      throw new ConflictError(`Release ${release.releaseId} has no target set to gather.`, release.releaseId);
    }
    if (release.targetSet.gatheredAt !== undefined) return undefined;
    return {
      ...current,
      release: {
        ...release,
        targetSet: {
          ...release.targetSet,
          things: gathered.things,
          gatheredAt: gathered.at,
          ...(gathered.stillRunning ? { stillRunning: gathered.stillRunning } : {}),
          ...(gathered.thingsGone ? { thingsGone: gathered.thingsGone } : {}),
        },
        version: release.version + 1,
        updatedAt: gathered.at,
      },
    };
  });
  return { value: value.release, changed };
}
