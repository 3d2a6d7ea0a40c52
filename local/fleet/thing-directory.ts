/**
 * What the fleet simulator needs to know about things: the thing groups each
 * belongs to, to choose its behaviour profile. The IoT registry satisfies
 * this port; `InMemoryThingDirectory` serves tests and fleet plans.
 */

export interface ThingDirectory {
  /**
   * Names of every thing group `thingName` belongs to, directly or through a
   * parent group (dynamic groups included); empty for an unknown thing.
   */
  groupsOf(thingName: string): readonly string[];
}

const none: readonly string[] = Object.freeze([]);

/** A ThingDirectory over a fixed map, e.g. the `things` of a fleet plan. */
export class InMemoryThingDirectory implements ThingDirectory {
  private readonly groups = new Map<string, readonly string[]>();

  constructor(things: Iterable<{ thingName: string; groups: readonly string[] }> = []) {
    for (const thing of things) this.set(thing.thingName, thing.groups);
  }

  set(thingName: string, groups: readonly string[]): void {
    this.groups.set(thingName, [...groups]);
  }

  groupsOf(thingName: string): readonly string[] {
    return this.groups.get(thingName) ?? none;
  }
}
