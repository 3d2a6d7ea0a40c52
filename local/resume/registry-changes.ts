/**
 * The things, thing groups and memberships of the IoT registry that the
 * fleet seeding at start does not make again: what the IoT API (CreateThing,
 * CreateThingGroup, AddThingToThingGroup, a release's cohort groups) and the
 * fleet admin route added after it. `--data-dir` writes them into the IoT
 * snapshot and puts them back after the next start's seeding.
 *
 * What the seeding made is told apart by a mark taken right after it: every
 * registry list is append-only and ordered by sequence number, so what came
 * after the mark is what came after the seeding. The seeded fleet itself is
 * not written (the same plan seeds it again), so a snapshot grows with what
 * the API added, not with the fleet.
 */
import { z } from 'zod';
import type { ThingRegistry } from '../iot/index.js';

/** Where the registry's lists stood when the mark was taken. */
export interface RegistryMark {
  readonly things: number;
  readonly groups: number;
  /** Per group that existed then: the sequence number of its last member. */
  readonly members: ReadonlyMap<string, number>;
}

const attributesSchema = z.record(z.string(), z.string());

/** Checks a snapshot's registry section. */
export const registryChangesSchema = z.object({
  /** In creation order, so a parent group comes before its children. */
  groups: z.array(
    z.object({
      thingGroupName: z.string(),
      thingGroupId: z.string(),
      parentGroupName: z.string().optional(),
      description: z.string().optional(),
      attributes: attributesSchema,
      creationDate: z.number(),
    }),
  ),
  things: z.array(
    z.object({
      thingName: z.string(),
      thingId: z.string(),
      thingTypeName: z.string().optional(),
      attributes: attributesSchema,
      billingGroupName: z.string().optional(),
    }),
  ),
  /** Things UpdateThing changed (seeded ones too), as they are now; absent in older snapshots. */
  updates: z
    .array(
      z.object({
        thingName: z.string(),
        thingTypeName: z.string().optional(),
        attributes: attributesSchema,
        version: z.number().int(),
      }),
    )
    .optional(),
  /** Per group, the things that joined it after the mark, in the order they joined. */
  members: z.array(z.object({ thingGroupName: z.string(), thingNames: z.array(z.string()) })),
});

/** The registry's additions since a mark, as the snapshot stores them. */
export type RegistryChanges = z.infer<typeof registryChangesSchema>;

/** Marks where the registry stands now: call it right after seeding the fleet. */
export function markRegistry(registry: ThingRegistry): RegistryMark {
  const members = new Map<string, number>();
  for (const group of registry.groupList.values()) members.set(group.thingGroupName, group.members.lastSeq);
  return { things: registry.thingList.lastSeq, groups: registry.groupList.lastSeq, members };
}

/** Everything added to the registry since `mark`. */
export function registryChangesSince(registry: ThingRegistry, mark: RegistryMark): RegistryChanges {
  const everything = Number.POSITIVE_INFINITY;
  const groups = registry.groupList.page(mark.groups, everything).items.map((group) => ({
    thingGroupName: group.thingGroupName,
    thingGroupId: group.thingGroupId,
    ...(group.parentGroupName !== undefined && { parentGroupName: group.parentGroupName }),
    ...(group.description !== undefined && { description: group.description }),
    attributes: { ...group.attributes },
    creationDate: group.creationDate,
  }));
  const things = registry.thingList.page(mark.things, everything).items.map((thing) => ({
    thingName: thing.thingName,
    thingId: thing.thingId,
    ...(thing.thingTypeName !== undefined && { thingTypeName: thing.thingTypeName }),
    attributes: { ...thing.attributes },
    ...(thing.billingGroupName !== undefined && { billingGroupName: thing.billingGroupName }),
  }));
  const members: RegistryChanges['members'] = [];
  for (const group of registry.groupList.values()) {
    const joined = group.members.page(mark.members.get(group.thingGroupName) ?? 0, everything).items;
    if (joined.length > 0) members.push({ thingGroupName: group.thingGroupName, thingNames: joined });
  }
  const updates = registry.updatedThings().map((thing) => ({
    thingName: thing.thingName,
    ...(thing.thingTypeName !== undefined && { thingTypeName: thing.thingTypeName }),
    attributes: { ...thing.attributes },
    version: thing.version,
  }));
  return { groups, things, members, ...(updates.length > 0 && { updates }) };
}

/**
 * Puts saved additions back: groups (parents first), things, then
 * memberships. A thing or group that already exists is kept as it is, so
 * putting the same changes back twice changes nothing.
 */
export function restoreRegistryChanges(
  registry: ThingRegistry,
  changes: RegistryChanges,
): { things: number; groups: number } {
  let groups = 0;
  for (const { thingGroupId, creationDate, ...input } of changes.groups) {
    if (registry.getThingGroup(input.thingGroupName)) continue;
    registry.createThingGroup(input, { id: thingGroupId, creationDate });
    groups++;
  }
  let things = 0;
  for (const { thingId, ...input } of changes.things) {
    if (registry.getThing(input.thingName)) continue;
    registry.createThing(input, { id: thingId });
    things++;
  }
  for (const update of changes.updates ?? []) registry.restoreUpdate(update);
  for (const { thingGroupName, thingNames } of changes.members) {
    for (const thingName of thingNames) {
      // A membership whose thing or group is gone (a fleet planned differently this time) is
      // dropped: one stale line must not stop every restart.
      if (!registry.getThing(thingName) || !registry.getThingGroup(thingGroupName)) continue;
      registry.addThingToThingGroup(thingName, thingGroupName);
    }
  }
  return { things, groups };
}
