/**
 * Plans a realistic simulated fleet: N things with serial-style names,
 * spread over region groups and hardware-revision groups by weight, plus a
 * small `canary-bad` cohort for behaviour profiles to make misbehave. The
 * plan is pure data, a function of its options alone; an adapter applies it
 * to the IoT registry (CreateThingGroup, CreateThing, AddThingToThingGroup).
 */
import { streamFromText } from './random.js';

export interface WeightedGroup {
  readonly groupName: string;
  /** Short code used in thing names, e.g. `euw`. */
  readonly code: string;
  /** Relative share of the fleet. */
  readonly weight: number;
}

export type PlannedGroupKind = 'region' | 'hardware' | 'cohort';

export interface PlannedGroup {
  readonly groupName: string;
  readonly kind: PlannedGroupKind;
  /** How many planned things belong to it. */
  readonly size: number;
}

export interface PlannedThing {
  readonly thingName: string;
  /** Its region group, its hardware group, then `canary-bad` if it is in the cohort. */
  readonly groups: readonly string[];
}

export interface FleetPlan {
  readonly things: readonly PlannedThing[];
  readonly groups: readonly PlannedGroup[];
}

export interface FleetPlanOptions {
  /** Number of things (0 to 1,000,000). */
  size: number;
  seed: string | number;
  regions?: readonly WeightedGroup[];
  hardware?: readonly WeightedGroup[];
  /** Name of the misbehaving cohort's group; default `canary-bad`. */
  canaryGroupName?: string;
  /** Share of the fleet in the cohort (0 to 1); default 0.01, at least one thing when the fleet is not empty and the share is above 0. */
  canaryShare?: number;
}

export const defaultRegions: readonly WeightedGroup[] = [
  { groupName: 'eu-west', code: 'euw', weight: 30 },
  { groupName: 'eu-central', code: 'euc', weight: 15 },
  { groupName: 'us-east', code: 'use', weight: 30 },
  { groupName: 'us-west', code: 'usw', weight: 15 },
  { groupName: 'ap-southeast', code: 'apse', weight: 10 },
];

export const defaultHardware: readonly WeightedGroup[] = [
  { groupName: 'gw-rev-a', code: 'gwa', weight: 20 },
  { groupName: 'gw-rev-b', code: 'gwb', weight: 50 },
  { groupName: 'gw-rev-c', code: 'gwc', weight: 30 },
];

function pick(groups: readonly WeightedGroup[], total: number, u: number): WeightedGroup {
  let cumulative = 0;
  for (const group of groups) {
    cumulative += group.weight / total;
    if (u < cumulative) return group;
  }
  return groups[groups.length - 1]!;
}

function checkGroups(label: string, groups: readonly WeightedGroup[]): number {
  if (groups.length === 0) throw new RangeError(`${label} must hold at least one group`);
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  if (!(total > 0) || groups.some((g) => !(g.weight >= 0))) {
    throw new RangeError(`${label} weights must be non-negative and add up to more than 0`);
  }
  return total;
}

/** Plans a fleet. Same options, same plan. */
export function planFleet(options: FleetPlanOptions): FleetPlan {
  const { size } = options;
  if (!Number.isInteger(size) || size < 0 || size > 1_000_000) {
    throw new RangeError('size must be an integer from 0 to 1000000');
  }
  const seed = String(options.seed);
  const regions = options.regions ?? defaultRegions;
  const hardware = options.hardware ?? defaultHardware;
  const regionTotal = checkGroups('regions', regions);
  const hardwareTotal = checkGroups('hardware', hardware);
  const canaryGroupName = options.canaryGroupName ?? 'canary-bad';
  const canaryShare = options.canaryShare ?? 0.01;
  if (!(canaryShare >= 0 && canaryShare <= 1)) throw new RangeError('canaryShare must be from 0 to 1');

  const width = Math.max(6, String(size - 1).length);
  const names: string[] = new Array(size);
  const memberships: string[][] = new Array(size);
  const cohortDraw = new Float64Array(size);
  const sizes = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    // One stream per thing: a thing's region and hardware do not depend on the fleet's size.
    const random = streamFromText(`${seed}\u0000thing\u0000${i}`);
    const region = pick(regions, regionTotal, random());
    const hw = pick(hardware, hardwareTotal, random());
    cohortDraw[i] = random();
    names[i] = `${hw.code}-${region.code}-${String(i).padStart(width, '0')}`;
    memberships[i] = [region.groupName, hw.groupName];
    sizes.set(region.groupName, (sizes.get(region.groupName) ?? 0) + 1);
    sizes.set(hw.groupName, (sizes.get(hw.groupName) ?? 0) + 1);
  }

  // The cohort is exactly round(share × size) things (at least one): those with the lowest draws.
  const cohortSize = canaryShare === 0 || size === 0 ? 0 : Math.max(1, Math.round(canaryShare * size));
  const byDraw = Array.from({ length: size }, (_, i) => i).sort((a, b) => cohortDraw[a]! - cohortDraw[b]!);
  for (let k = 0; k < cohortSize; k++) memberships[byDraw[k]!]!.push(canaryGroupName);

  const groups: PlannedGroup[] = [
    ...regions.map((g) => ({
      groupName: g.groupName,
      kind: 'region' as const,
      size: sizes.get(g.groupName) ?? 0,
    })),
    ...hardware.map((g) => ({
      groupName: g.groupName,
      kind: 'hardware' as const,
      size: sizes.get(g.groupName) ?? 0,
    })),
    { groupName: canaryGroupName, kind: 'cohort', size: cohortSize },
  ];
  const things = names.map((thingName, i) => ({ thingName, groups: memberships[i]! }));
  return { things, groups };
}
