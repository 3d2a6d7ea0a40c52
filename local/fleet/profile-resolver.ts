/**
 * Resolves the behaviour of one thing from a profile set: the default,
 * then every matching override in list order, each replacing the fields it
 * sets (outcome probabilities one by one, latencies as a whole). So a region
 * override can slow devices down while a cohort override makes them fail.
 */
import {
  type BehaviourOverride,
  type BehaviourProfiles,
  type DeviceFailureMode,
  defaultFailureDetails,
  deviceFailureModes,
  type FailureDetails,
  type LatencySpec,
  type OutcomeMix,
} from './behaviour-profile.js';

/** The complete behaviour of one thing. */
export interface ResolvedBehaviour {
  /** Probability of each failure mode; they add up to at most 1. */
  readonly outcomes: Readonly<Record<DeviceFailureMode, number>>;
  /** 1 minus the failure modes. */
  readonly succeed: number;
  readonly startLatency: LatencySpec;
  readonly runLatency: LatencySpec;
  /** What the device reports in `statusDetails` when it fails, or rejects. */
  readonly statusDetails: Readonly<Required<FailureDetails>>;
}

type ThingMatcher = (thingName: string, groups: readonly string[]) => boolean;

interface CompiledOverride {
  readonly matches: ThingMatcher;
  readonly override: BehaviourOverride;
}

/** A glob over a whole name: `*` is any run of characters, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function compileMatcher(match: BehaviourOverride['match']): ThingMatcher {
  const tests: ThingMatcher[] = [];
  if (match.thingGroup !== undefined) {
    const group = match.thingGroup;
    tests.push((_name, groups) => groups.includes(group));
  }
  if (match.thingName !== undefined) {
    const glob = globToRegExp(match.thingName);
    tests.push((name) => glob.test(name));
  }
  if (match.thingNameRegex !== undefined) {
    const regex = new RegExp(match.thingNameRegex);
    tests.push((name) => regex.test(name));
  }
  // Every field given must hold.
  return (name, groups) => tests.every((test) => test(name, groups));
}

function mergeMix(
  base: Record<DeviceFailureMode, number>,
  mix: OutcomeMix,
): Record<DeviceFailureMode, number> {
  const merged = { ...base };
  for (const mode of deviceFailureModes) {
    const value = mix[mode];
    if (value !== undefined) merged[mode] = value;
  }
  return merged;
}

/** A compiled profile set: regular expressions built once, not per thing. */
export class ProfileResolver {
  private readonly base: Record<DeviceFailureMode, number>;
  private readonly overrides: readonly CompiledOverride[];
  /**
   * When no override looks at thing names, the behaviour depends on the group
   * list alone; the thing registry hands out one shared list per set of
   * groups, so a fleet resolves a few dozen behaviours, not one per thing.
   */
  private readonly byGroups: WeakMap<readonly string[], ResolvedBehaviour> | undefined;

  constructor(readonly profiles: BehaviourProfiles) {
    this.base = mergeMix({ fail: 0, reject: 0, offline: 0, hang: 0 }, profiles.default.outcomes);
    this.overrides = (profiles.overrides ?? []).map((override) => ({
      matches: compileMatcher(override.match),
      override,
    }));
    const byName = (profiles.overrides ?? []).some(
      ({ match }) => match.thingName !== undefined || match.thingNameRegex !== undefined,
    );
    this.byGroups = byName ? undefined : new WeakMap();
  }

  /** The behaviour of `thingName`, a member of `groups`. */
  resolve(thingName: string, groups: readonly string[]): ResolvedBehaviour {
    if (!this.byGroups) return this.resolveNow(thingName, groups);
    let behaviour = this.byGroups.get(groups);
    if (!behaviour) {
      behaviour = this.resolveNow(thingName, groups);
      this.byGroups.set(groups, behaviour);
    }
    return behaviour;
  }

  private resolveNow(thingName: string, groups: readonly string[]): ResolvedBehaviour {
    let outcomes = this.base;
    let { startLatency, runLatency } = this.profiles.default;
    // Each mode's details are replaced as a whole: a cohort's own reason is not mixed with the default's.
    const statusDetails = { ...defaultFailureDetails, ...this.profiles.default.statusDetails };
    for (const { matches, override } of this.overrides) {
      if (!matches(thingName, groups)) continue;
      if (override.outcomes) outcomes = mergeMix(outcomes, override.outcomes);
      if (override.startLatency) startLatency = override.startLatency;
      if (override.runLatency) runLatency = override.runLatency;
      Object.assign(statusDetails, override.statusDetails);
    }
    // Layered overrides may add up to more than 1 (each alone was checked):
    // scale the failure modes down so they share the whole.
    const total = deviceFailureModes.reduce((sum, mode) => sum + outcomes[mode], 0);
    if (total > 1) {
      const scaled = { ...outcomes };
      for (const mode of deviceFailureModes) scaled[mode] = outcomes[mode] / total;
      return { outcomes: scaled, succeed: 0, startLatency, runLatency, statusDetails };
    }
    return { outcomes, succeed: 1 - total, startLatency, runLatency, statusDetails };
  }
}
