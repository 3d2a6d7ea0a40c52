/**
 * Which things of the release fleet each percentage wave takes. A thing's
 * cohort depends only on (releaseId, thingName): a hash puts it in one of
 * 10,000 buckets, and the wave with cumulative percentage p takes the
 * buckets in [previous p · 100, p · 100). So the cohorts are disjoint, cover
 * the fleet once the last wave reaches 100 %, and a retried or resumed
 * workflow picks exactly the same things. Another release id draws other
 * cohorts, so the same devices are not always the first to be updated.
 */
import { createHash } from 'node:crypto';
import type { WaveDefinition } from './release-request.js';
import { waveLabel } from './wave-job.js';

/** Buckets are hundredths of a percent: percentages carry at most two decimals. */
export const COHORT_BUCKETS = 10_000;

/** The bucket of a thing for a release, in [0, 10000). */
export function cohortBucket(releaseId: string, thingName: string): number {
  // `/` is in neither a release id nor a thing name, so no two pairs hash the same input.
  const digest = createHash('sha256').update(`${releaseId}/${thingName}`).digest();
  // 2^32 is not a multiple of 10,000; the bias (under 3 in a million) does not matter here.
  return digest.readUInt32BE(0) % COHORT_BUCKETS;
}

/** The buckets one percentage wave takes: [fromBucket, toBucket). */
export interface CohortRange {
  /** 1-based position of the wave in the release. */
  waveNumber: number;
  fromBucket: number;
  toBucket: number;
}

/** The bucket ranges of the percentage waves, in wave order; waves with their own targets have none. */
export function cohortRanges(waves: readonly Pick<WaveDefinition, 'percentage'>[]): CohortRange[] {
  const ranges: CohortRange[] = [];
  let fromBucket = 0;
  waves.forEach((wave, index) => {
    if (wave.percentage === undefined) return;
    const toBucket = Math.round(wave.percentage * 100);
    ranges.push({ waveNumber: index + 1, fromBucket, toBucket });
    fromBucket = toBucket;
  });
  return ranges;
}

/** The percentage wave that takes a thing, or undefined when no wave does (last percentage below 100). */
export function cohortWaveOf(
  releaseId: string,
  thingName: string,
  ranges: readonly CohortRange[],
): number | undefined {
  const bucket = cohortBucket(releaseId, thingName);
  return ranges.find((r) => bucket >= r.fromBucket && bucket < r.toBucket)?.waveNumber;
}

/**
 * Splits the release fleet into the percentage waves' cohorts. Every
 * percentage wave has an entry (possibly empty: 1 % of 20 things is likely
 * nobody); names are deduplicated and sorted, so the result is the same
 * whatever order the fleet was listed in.
 */
export function assignCohorts(
  releaseId: string,
  fleet: Iterable<string>,
  waves: readonly Pick<WaveDefinition, 'percentage'>[],
): Map<number, string[]> {
  const ranges = cohortRanges(waves);
  const cohorts = new Map<number, string[]>(ranges.map((r) => [r.waveNumber, []]));
  for (const thingName of [...new Set(fleet)].sort()) {
    const waveNumber = cohortWaveOf(releaseId, thingName, ranges);
    if (waveNumber !== undefined) cohorts.get(waveNumber)?.push(thingName);
  }
  return cohorts;
}

const COHORT_GROUP_PREFIX = 'fleetwave-';

/**
 * The static thing group a percentage wave's cohort is put in:
 * `fleetwave-<releaseId>-w<nn>`, at most 70 characters of `[a-zA-Z0-9_-]`,
 * within IoT's thing-group names (1–128 of `[a-zA-Z0-9:_-]`). A thing can
 * belong to at most 10 thing groups, so these groups must be deleted once a
 * release has finished.
 */
export function cohortThingGroupName(releaseId: string, waveNumber: number): string {
  return `${COHORT_GROUP_PREFIX}${releaseId}-${waveLabel(waveNumber)}`;
}

/**
 * The static thing group a retry's or rollback's target set is gathered in:
 * `fleetwave-<releaseId>-targets` (see `TargetSet` in release.ts).
 */
export function targetSetGroupName(releaseId: string): string {
  return `${COHORT_GROUP_PREFIX}${releaseId}-targets`;
}

/**
 * The description of every thing group a release creates: `fleetwave
 * release <releaseId>: <what it holds>`. It is how a group is known to be
 * the release's own before it is deleted: a group of the same name someone
 * else made keeps its own description (CreateThingGroup does not change an
 * existing group), and is left alone.
 */
export function releaseGroupDescription(releaseId: string, holds: string): string {
  return `${releaseGroupDescriptionPrefix(releaseId)} ${holds}`;
}

/** True when `description` is one {@link releaseGroupDescription} gave for `releaseId`. */
export function isReleaseGroupDescription(releaseId: string, description: string | undefined): boolean {
  return description?.startsWith(releaseGroupDescriptionPrefix(releaseId)) === true;
}

function releaseGroupDescriptionPrefix(releaseId: string): string {
  return `fleetwave release ${releaseId}:`;
}
