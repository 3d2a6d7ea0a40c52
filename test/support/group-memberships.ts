/**
 * The things that joined each thing group, as the local registry tells its
 * membership listeners: what a group held, still known once the group is
 * gone (a release deletes the groups it created when it ends).
 */
import type { ThingRegistry } from '../../local/iot/index.js';

/** What {@link recordMemberships} returns: the things that joined a group, sorted, and how to stop listening. */
export interface MembershipRecord {
  joined(thingGroupName: string): string[];
  stop(): void;
}

/** Listens from now on to things joining groups in `registry`. */
export function recordMemberships(registry: Pick<ThingRegistry, 'onMembership'>): MembershipRecord {
  const byGroup = new Map<string, Set<string>>();
  const stop = registry.onMembership((thingName, thingGroupName) => {
    let things = byGroup.get(thingGroupName);
    if (!things) {
      things = new Set();
      byGroup.set(thingGroupName, things);
    }
    things.add(thingName);
  });
  return { joined: (name) => [...(byGroup.get(name) ?? [])].sort(), stop };
}
