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

interface PlannedGroup {
  readonly groupName: string;
  readonly kind: PlannedGroupKind;
  /** How many planned things belong to it. */
  readonly size: number;
}

interface PlannedThing {
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

/** The index of the group a uniform draw `u` falls in, by weight. */
function pick(groups: readonly WeightedGroup[], total: number, u: number): number {
  let cumulative = 0;
  for (let k = 0; k < groups.length; k++) {
    cumulative += groups[k]!.weight / total;
    if (u < cumulative) return k;
  }
  return groups.length - 1;
}

function checkGroups(label: string, groups: readonly WeightedGroup[]): number {
  if (groups.length === 0) throw new RangeError(`${label} must hold at least one group`);
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  if (!(total > 0) || groups.some((g) => !(g.weight >= 0))) {
    throw new RangeError(`${label} weights must be non-negative and add up to more than 0`);
  }
  return total;
}

/**
 * A plan in columns, for seeding a large fleet without one object and one
 * group list per thing: thing `i` is `names[i]`, in `regions[region[i]]`,
 * `hardware[hardware[i]]` and, when `inCohort[i]` is 1, the cohort group.
 */
export interface FleetPlanColumns {
  readonly names: readonly string[];
  readonly region: Uint8Array;
  readonly hardware: Uint8Array;
  readonly inCohort: Uint8Array;
  readonly regionNames: readonly string[];
  readonly hardwareNames: readonly string[];
  readonly canaryGroupName: string;
  readonly groups: readonly PlannedGroup[];
}

/** Plans a fleet. Same options, same plan. */
export function planFleet(options: FleetPlanOptions): FleetPlan {
  const plan = planFleetColumns(options);
  // Things with the same groups share one (frozen) list.
  const lists = new Map<number, readonly string[]>();
  const things = plan.names.map((thingName, i) => {
    const key = (plan.region[i]! * 256 + plan.hardware[i]!) * 2 + plan.inCohort[i]!;
    let groups = lists.get(key);
    if (!groups) {
      groups = Object.freeze([
        plan.regionNames[plan.region[i]!]!,
        plan.hardwareNames[plan.hardware[i]!]!,
        ...(plan.inCohort[i] ? [plan.canaryGroupName] : []),
      ]);
      lists.set(key, groups);
    }
    return { thingName, groups };
  });
  return { things, groups: plan.groups };
}

/** {@link planFleet} in columns: the same things, names and groups. */
export function planFleetColumns(options: FleetPlanOptions): FleetPlanColumns {
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
  const region = new Uint8Array(size);
  const hw = new Uint8Array(size);
  const cohortDraw = new Float64Array(size);
  const regionSizes = new Array<number>(regions.length).fill(0);
  const hardwareSizes = new Array<number>(hardware.length).fill(0);
  for (let i = 0; i < size; i++) {
    // One stream per thing: a thing's region and hardware do not depend on the fleet's size.
    const random = streamFromText(`${seed}\u0000thing\u0000${i}`);
    const r = pick(regions, regionTotal, random());
    const h = pick(hardware, hardwareTotal, random());
    cohortDraw[i] = random();
    // join builds one flat string; a template literal would build a rope of three (about 80 bytes
    // per name instead of 32, for a million names kept by the registry).
    names[i] = [hardware[h]!.code, regions[r]!.code, String(i).padStart(width, '0')].join('-');
    region[i] = r;
    hw[i] = h;
    regionSizes[r]!++;
    hardwareSizes[h]!++;
  }
  const cohortSize = canaryShare === 0 || size === 0 ? 0 : Math.max(1, Math.round(canaryShare * size));
  const inCohort = lowestDraws(cohortDraw, cohortSize);

  // Sizes add up per name: a name listed twice counts the things of both entries, as a map would.
  const sizeOf = (name: string) =>
    regions.reduce((n, g, k) => n + (g.groupName === name ? regionSizes[k]! : 0), 0) +
    hardware.reduce((n, g, k) => n + (g.groupName === name ? hardwareSizes[k]! : 0), 0);
  const groups: PlannedGroup[] = [
    ...regions.map((g) => ({ groupName: g.groupName, kind: 'region' as const, size: sizeOf(g.groupName) })),
    ...hardware.map((g) => ({
      groupName: g.groupName,
      kind: 'hardware' as const,
      size: sizeOf(g.groupName),
    })),
    { groupName: canaryGroupName, kind: 'cohort', size: cohortSize },
  ];
  return {
    names,
    region,
    hardware: hw,
    inCohort,
    regionNames: regions.map((g) => g.groupName),
    hardwareNames: hardware.map((g) => g.groupName),
    canaryGroupName,
    groups,
  };
}

/**
 * Marks the `count` things with the lowest draws (at least one when the
 * fleet is not empty and the share is above 0), ties going to the lower
 * index: what a stable sort of the indexes by draw would pick, without
 * sorting a million indexes through a comparison function.
 */
function lowestDraws(draws: Float64Array, count: number): Uint8Array {
  const marked = new Uint8Array(draws.length);
  if (count === 0) return marked;
  const threshold = Float64Array.from(draws).sort()[count - 1]!;
  let below = 0;
  for (let i = 0; i < draws.length; i++) if (draws[i]! < threshold) below++;
  let ties = count - below;
  for (let i = 0; i < draws.length; i++) {
    if (draws[i]! < threshold) marked[i] = 1;
    else if (draws[i] === threshold && ties > 0) {
      marked[i] = 1;
      ties--;
    }
  }
  return marked;
}
