import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { ArnFactory } from '../../../local/iot/arn.js';
import { pageThingsIn, type WalkCursor } from '../../../local/iot/registry/group-walk.js';
import { ThingRegistry } from '../../../local/iot/registry/thing-registry.js';

const newRegistry = () =>
  new ThingRegistry(new ArnFactory('us-east-1', '000000000000'), new VirtualClock({ start: 0 }));

/**
 * site > (hall > (hall-1, hall-2), yard): things in several groups of the
 * tree, joined in an order that differs from the walk's.
 */
function site(): ThingRegistry {
  const registry = newRegistry();
  registry.createThingGroup({ thingGroupName: 'site' });
  registry.createThingGroup({ thingGroupName: 'hall', parentGroupName: 'site' });
  registry.createThingGroup({ thingGroupName: 'yard', parentGroupName: 'site' });
  registry.createThingGroup({ thingGroupName: 'hall-1', parentGroupName: 'hall' });
  registry.createThingGroup({ thingGroupName: 'hall-2', parentGroupName: 'hall' });
  const join: [string, string][] = [
    ['y1', 'yard'],
    ['h2a', 'hall-2'],
    ['y1', 'hall-2'],
    ['h1a', 'hall-1'],
    ['h1b', 'hall-1'],
    ['h2a', 'hall-1'],
    ['s1', 'site'],
    ['h1b', 'site'],
    ['hx', 'hall'],
  ];
  for (const [thing, group] of join) {
    registry.createThing({ thingName: thing });
    registry.addThingToThingGroup(thing, group);
  }
  return registry;
}

describe('group walk', () => {
  it('lists depth first, parents before children, each thing in the first group that holds it', () => {
    const registry = site();
    const names = (root: string) => registry.thingKeysIn(root, true).map((key) => registry.nameAt(key));
    // site: s1, h1b | hall: hx | hall-1: h1a, h2a (h1b listed) | hall-2: y1 (h2a listed) | yard: (y1 listed)
    expect(names('site')).toEqual(['s1', 'h1b', 'hx', 'h1a', 'h2a', 'y1']);
    expect(names('hall')).toEqual(['hx', 'h1a', 'h1b', 'h2a', 'y1']);
    expect(names('yard')).toEqual(['y1']);
  });

  it('pages the same order, whatever the page size, with a cursor only when a thing follows', () => {
    const registry = site();
    const all = registry.thingKeysIn('site', true).map((key) => registry.nameAt(key));
    for (let size = 1; size <= all.length + 1; size++) {
      const listed: string[] = [];
      let cursor: WalkCursor | undefined;
      let pages = 0;
      do {
        const page = pageThingsIn(registry, 'site', cursor, size);
        listed.push(...page.things.map((t) => t.thingName));
        cursor = page.next;
        pages++;
      } while (cursor);
      expect(listed, `pages of ${size}`).toEqual(all);
      expect(pages, `pages of ${size}`).toBe(Math.max(1, Math.ceil(all.length / size)));
    }
  });

  it('still lists a thing that joins a group the listing has passed, between two pages', () => {
    const registry = new ThingRegistry(
      new ArnFactory('us-east-1', '000000000000'),
      new VirtualClock({ start: 0 }),
    );
    registry.createThingGroup({ thingGroupName: 'root' });
    registry.createThingGroup({ thingGroupName: 'a', parentGroupName: 'root' });
    registry.createThingGroup({ thingGroupName: 'b', parentGroupName: 'root' });
    for (const [thing, group] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
      ['b2', 'b'],
    ]) {
      registry.createThing({ thingName: thing! });
      registry.addThingToThingGroup(thing!, group!);
    }
    const first = pageThingsIn(registry, 'root', undefined, 2);
    expect(first.things.map((t) => t.thingName)).toEqual(['a1', 'a2']);
    registry.addThingToThingGroup('b2', 'a');
    const second = pageThingsIn(registry, 'root', first.next, 2);
    expect(second.things.map((t) => t.thingName)).toEqual(['b1', 'b2']);
    expect(second.next).toBeUndefined();
    // A new listing counts the new membership: b2 is listed in a, once.
    expect(registry.thingKeysIn('root', true).map((key) => registry.nameAt(key))).toEqual([
      'a1',
      'a2',
      'b2',
      'b1',
    ]);
  });
});
