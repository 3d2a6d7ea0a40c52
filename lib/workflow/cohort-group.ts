/**
 * A percentage wave's cohort as a static thing group: the release fleet is
 * read from IoT (the release's thing groups, child groups included, plus
 * its things), split with `assignCohorts` (deterministic: a retry or a
 * second run of the same release id picks the same things), and the wave's
 * things are put in `fleetwave-<releaseId>-w<nn>`. Membership is compared
 * before anything is added, so a retry only adds what is missing. A halted
 * wave's follow-up job gets its things the same way (`fillThingGroup`).
 */
import { assignCohorts, cohortThingGroupName, releaseGroupDescription } from '../domain/cohorts.js';
import { ConflictError } from '../domain/errors.js';
import type { Release } from '../domain/release.js';
import type { ThingGroups } from './ports.js';

/** AddThingToThingGroup calls in flight at once: quick, yet gentle on IoT's registry rate limit. */
const ADD_CONCURRENCY = 8;

/** Every thing of the release fleet, deduplicated. */
async function releaseFleet(groups: ThingGroups, release: Release): Promise<string[]> {
  const things = new Set(release.targets?.things ?? []);
  for (const group of release.targets?.thingGroups ?? []) {
    for (const thing of await groups.listThings(group, { recursive: true })) things.add(thing);
  }
  return [...things];
}

/** The things of percentage wave `waveNumber` (sorted; possibly none). */
export async function cohortOf(groups: ThingGroups, release: Release, waveNumber: number): Promise<string[]> {
  const fleet = await releaseFleet(groups, release);
  return assignCohorts(release.releaseId, fleet, release.waves).get(waveNumber) ?? [];
}

/**
 * Runs `work` on every item, at most `limit` at a time. A failure does not
 * stop the others (a throttled call should not waste the ones that went
 * through: the retry only redoes what is missing); the first failure is
 * thrown once every item has been tried.
 */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (firstError) throw firstError.error;
}

/** A static thing group fleetwave fills, and what it is for (its description, and errors). */
export interface OwnGroup {
  readonly releaseId: string;
  readonly groupName: string;
  /** `the things of wave 2`: what the group holds, for people. */
  readonly holds: string;
}

/**
 * Makes the static thing group `group.groupName` hold exactly `things`,
 * creating it if needed and adding only the members missing. A group of
 * that name holding other things is not this release's: ConflictError,
 * rather than rolling the wave out to devices nobody chose.
 */
export async function fillThingGroup(
  groups: ThingGroups,
  group: OwnGroup,
  things: readonly string[],
): Promise<string> {
  const { groupName, holds, releaseId } = group;
  await groups.ensure(groupName, releaseGroupDescription(releaseId, `${holds} (${things.length})`));
  const members = new Set(await groups.listThings(groupName, { recursive: false }));
  const wanted = new Set(things);
  const strangers = [...members].filter((thing) => !wanted.has(thing));
  if (strangers.length > 0) {
    throw new ConflictError(
      `Thing group ${groupName} holds ${strangers.length} things outside ${holds} (e.g. ${strangers[0]}); it is not this release's group.`,
      releaseId,
    );
  }
  const missing = things.filter((thing) => !members.has(thing));
  await forEachLimited(missing, ADD_CONCURRENCY, (thing) => groups.addThing(groupName, thing));
  return groupName;
}

/** Makes the cohort's thing group hold exactly `cohort` ({@link fillThingGroup}). */
export function fillCohortGroup(
  groups: ThingGroups,
  release: Release,
  waveNumber: number,
  cohort: readonly string[],
): Promise<string> {
  const groupName = cohortThingGroupName(release.releaseId, waveNumber);
  const holds = `wave ${waveNumber}'s cohort`;
  return fillThingGroup(groups, { releaseId: release.releaseId, groupName, holds }, cohort);
}
