/**
 * Turns CreateJob's `targets` (thing and thing-group ARNs) into the things a
 * job reaches at that moment. A target that is not an ARN of a thing or a
 * thing group is a bad request; one that names nothing in this account is
 * ResourceNotFoundException, as AWS answers.
 */
import type { ArnFactory } from '../arn.js';
import { invalidRequest, notFound } from '../errors.js';
import type { ThingRecord } from '../registry/registry-records.js';
import type { ThingRegistry } from '../registry/thing-registry.js';

export interface ResolvedTargets {
  /** Things named directly. */
  things: ThingRecord[];
  /** Thing groups named, by name. */
  groups: string[];
}

export function resolveTargets(
  targets: readonly string[],
  arns: ArnFactory,
  registry: ThingRegistry,
): ResolvedTargets {
  const things: ThingRecord[] = [];
  const groups: string[] = [];
  for (const arn of targets) {
    const thingName = arns.idOf(arn, 'thing');
    const groupName = thingName === undefined ? arns.idOf(arn, 'thinggroup') : undefined;
    if (thingName !== undefined) {
      const thing = registry.getThing(thingName);
      if (!thing) throw notFound(`Thing ${thingName} cannot be found.`);
      things.push(thing);
    } else if (groupName !== undefined) {
      if (!registry.getThingGroup(groupName)) throw notFound(`Thing group ${groupName} cannot be found.`);
      groups.push(groupName);
    } else if (/^arn:aws:iot:[a-z0-9-]+:\d{12}:(thing|thinggroup)\/.+$/.test(arn)) {
      // A well-formed ARN of another region or account: it names nothing here.
      throw notFound(`Target ${arn} cannot be found.`);
    } else {
      throw invalidRequest(`Target ${arn} is not a valid thing or thing group ARN.`);
    }
  }
  return { things, groups };
}

/**
 * The registry key of every thing the targets reach now: named things first,
 * then group members (with child groups). A thing reached twice is named
 * twice; the execution table keeps one execution per thing.
 */
export function thingsReached(resolved: ResolvedTargets, registry: ThingRegistry): number[] {
  const keys = resolved.things.map((thing) => registry.keyOf(thing.thingName)!);
  for (const group of resolved.groups) for (const key of registry.thingKeysIn(group, true)) keys.push(key);
  return keys;
}
