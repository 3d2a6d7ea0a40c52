/**
 * Applies a fleet plan (`planFleet`) to the IoT thing registry: one static
 * thing group per planned group, all under one root group so a single
 * thing-group target reaches the whole fleet, then every thing and its
 * memberships. It goes through the registry's typed methods, not HTTP, and
 * reads the plan in columns (`planFleetColumns`), so a million things cost
 * no object per thing beyond what the registry keeps.
 *
 * Seeding is idempotent: a thing or group that already exists with the same
 * settings is kept, and a membership that exists is a no-op. Seeding the
 * same seed with a larger size adds the new things and keeps the old ones
 * in their region and hardware groups; the `canary-bad` cohort only grows,
 * because the registry has no way to take a thing out of a group.
 */
import type { ThingRegistry } from '../iot/index.js';
import { type FleetPlanOptions, type PlannedGroupKind, planFleetColumns } from './fleet-seeder.js';

export interface SeedFleetOptions extends FleetPlanOptions {
  /** The group every planned group is created under; default `fleet`. Null: no root group. */
  rootGroupName?: string | null;
}

interface SeededGroup {
  readonly thingGroupName: string;
  readonly thingGroupArn: string;
  readonly kind: PlannedGroupKind | 'root';
  /** Things of this seeding in the group (for the root: every thing of this seeding). */
  readonly size: number;
}

export interface SeedFleetSummary {
  readonly seed: string;
  readonly size: number;
  /** Things created by this call; the rest already existed. */
  readonly thingsCreated: number;
  readonly groupsCreated: number;
  /** The root group first, when there is one. */
  readonly groups: readonly SeededGroup[];
  /** The first few thing names, to show what the fleet looks like. */
  readonly sampleThingNames: readonly string[];
}

const defaultRootGroupName = 'fleet';

/** Creates the planned fleet in `registry`; throws RangeError for bad plan options and IotError for a conflicting group. */
export function seedFleet(registry: ThingRegistry, options: SeedFleetOptions): SeedFleetSummary {
  const { rootGroupName: rootOption, ...planOptions } = options;
  const rootGroupName = rootOption === undefined ? defaultRootGroupName : rootOption;
  const plan = planFleetColumns(planOptions);
  const size = plan.names.length;
  const groupsBefore = new Set<string>();
  const groupNames = [
    ...(rootGroupName === null ? [] : [rootGroupName]),
    ...plan.groups.map((g) => g.groupName),
  ];
  for (const name of groupNames) if (registry.getThingGroup(name)) groupsBefore.add(name);

  const seeded: SeededGroup[] = [];
  if (rootGroupName !== null) {
    const root = registry.createThingGroup({ thingGroupName: rootGroupName });
    seeded.push({
      thingGroupName: rootGroupName,
      thingGroupArn: root.thingGroupArn,
      kind: 'root',
      size,
    });
  }
  for (const group of plan.groups) {
    const record = registry.createThingGroup({
      thingGroupName: group.groupName,
      ...(rootGroupName === null ? {} : { parentGroupName: rootGroupName }),
    });
    seeded.push({
      thingGroupName: group.groupName,
      thingGroupArn: record.thingGroupArn,
      kind: group.kind,
      size: group.size,
    });
  }

  let thingsCreated = 0;
  const { names, region, hardware, inCohort, regionNames, hardwareNames, canaryGroupName } = plan;
  for (let i = 0; i < size; i++) {
    const thingName = names[i]!;
    if (registry.ensureThing({ thingName })) thingsCreated++;
    registry.addThingToThingGroup(thingName, regionNames[region[i]!]!);
    registry.addThingToThingGroup(thingName, hardwareNames[hardware[i]!]!);
    if (inCohort[i]) registry.addThingToThingGroup(thingName, canaryGroupName);
  }
  return {
    seed: String(options.seed),
    size,
    thingsCreated,
    groupsCreated: groupNames.filter((name) => !groupsBefore.has(name)).length,
    groups: seeded,
    sampleThingNames: names.slice(0, 5),
  };
}
