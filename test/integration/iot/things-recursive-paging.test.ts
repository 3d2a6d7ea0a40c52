/**
 * ListThingsInThingGroup with `recursive` over a large tree, through the
 * real SDK: every thing exactly once however the pages fall, a cursor that
 * stays put when the tree changes behind it, and AWS's answer to a bad
 * token. Durations are printed as figures, not asserted (the machine is
 * shared).
 */
import { ListThingsInThingGroupCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThingRegistry } from '../../../local/iot/index.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError } from './iot-fixtures.js';

const buildings = 10;
const floorsPerBuilding = 10;
const thingsPerFloor = 400;

/**
 * campus > building-b > floor-b-f, three levels, 40,000 things on the floors.
 * Every tenth thing of a floor also belongs to its building, and every
 * hundredth to the campus, so the walk must list a thing met in several
 * groups only once.
 */
function seedCampus(things: ThingRegistry): string[] {
  const all: string[] = [];
  things.createThingGroup({ thingGroupName: 'campus' });
  for (let b = 0; b < buildings; b++) {
    const building = `building-${b}`;
    things.createThingGroup({ thingGroupName: building, parentGroupName: 'campus' });
    for (let f = 0; f < floorsPerBuilding; f++) {
      const floor = `floor-${b}-${f}`;
      things.createThingGroup({ thingGroupName: floor, parentGroupName: building });
      for (let t = 0; t < thingsPerFloor; t++) {
        const name = `dev-${b}-${f}-${t}`;
        things.createThing({ thingName: name });
        things.addThingToThingGroup(name, floor);
        if (t % 10 === 0) things.addThingToThingGroup(name, building);
        if (t % 100 === 0) things.addThingToThingGroup(name, 'campus');
        all.push(name);
      }
    }
  }
  return all;
}

/** Counts of each name, for "exactly once" checks that name the offenders. */
function repeatedOrMissing(listed: readonly string[], expected: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const name of listed) counts.set(name, (counts.get(name) ?? 0) + 1);
  const wrong = [...counts].filter(([, n]) => n !== 1).map(([name, n]) => `${name} x${n}`);
  for (const name of expected) if (!counts.has(name)) wrong.push(`${name} missing`);
  return wrong;
}

describe('ListThingsInThingGroup, recursive, over a large tree', () => {
  let ep: IotEndpoint;
  let fleet: string[];
  beforeAll(async () => {
    ep = await startIotEndpoint();
    fleet = seedCampus(ep.emulator.registry.things);
  });
  afterAll(async () => ep.close());

  async function page(thingGroupName: string, maxResults: number, nextToken?: string) {
    return ep.iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName, recursive: true, maxResults, nextToken }),
    );
  }

  it('lists every thing of a 111-group, 40,000-thing tree exactly once, page by page', async () => {
    const listed: string[] = [];
    const pageMs: number[] = [];
    let nextToken: string | undefined;
    const started = performance.now();
    do {
      const pageStarted = performance.now();
      const result = await page('campus', 250, nextToken);
      pageMs.push(performance.now() - pageStarted);
      expect(result.things?.length ?? 0).toBeLessThanOrEqual(250);
      listed.push(...(result.things ?? []));
      nextToken = result.nextToken;
    } while (nextToken);
    const total = performance.now() - started;
    const tail = pageMs.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, pageMs.length);
    const head = pageMs.slice(0, 10).reduce((a, b) => a + b, 0) / Math.min(10, pageMs.length);
    console.log(
      `recursive ListThingsInThingGroup, ${fleet.length} things in ${pageMs.length} pages of 250: ` +
        `${total.toFixed(0)} ms in all, first 10 pages ${head.toFixed(2)} ms each, last 10 ${tail.toFixed(2)} ms each`,
    );
    expect(repeatedOrMissing(listed, fleet)).toEqual([]);
    expect(listed).toHaveLength(fleet.length);
    // A page that ends exactly on the last thing hands out no token, as AWS does.
    expect(pageMs).toHaveLength(fleet.length / 250);
  });

  it('lists a subtree, with pages that end inside and between groups, each thing once', async () => {
    for (const size of [9, 100, 250]) {
      const listed: string[] = [];
      let nextToken: string | undefined;
      do {
        const result = await page('building-3', size, nextToken);
        listed.push(...(result.things ?? []));
        nextToken = result.nextToken;
      } while (nextToken);
      const expected = fleet.filter((name) => name.startsWith('dev-3-'));
      expect(repeatedOrMissing(listed, expected), `pages of ${size}`).toEqual([]);
    }
  });

  it('keeps its place when things join groups already listed, so nothing is repeated or skipped', async () => {
    const things = ep.emulator.registry.things;
    things.createThingGroup({ thingGroupName: 'yard' });
    things.createThingGroup({ thingGroupName: 'yard-a', parentGroupName: 'yard' });
    things.createThingGroup({ thingGroupName: 'yard-b', parentGroupName: 'yard' });
    const before: string[] = [];
    for (const group of ['yard-a', 'yard-b']) {
      for (let i = 0; i < 30; i++) {
        const name = `${group}-${i}`;
        things.createThing({ thingName: name });
        things.addThingToThingGroup(name, group);
        before.push(name);
      }
    }
    const listed: string[] = [];
    let nextToken: string | undefined;
    let joined = 0;
    do {
      const result = await page('yard', 10, nextToken);
      listed.push(...(result.things ?? []));
      nextToken = result.nextToken;
      // Between pages, a newcomer joins the group listed first (already behind the cursor).
      const name = `late-${joined++}`;
      things.createThing({ thingName: name });
      things.addThingToThingGroup(name, 'yard-a');
    } while (nextToken);
    expect(repeatedOrMissing(listed, before).filter((entry) => !entry.startsWith('late-'))).toEqual([]);
  });

  it('answers InvalidRequestException for a token that is not one, or belongs to another listing', async () => {
    const first = await page('building-1', 5);
    expect(first.nextToken).toBeDefined();
    await expectIotError(page('building-1', 5, 'not-a-token'), 'InvalidRequestException', 400);
    await expectIotError(page('building-2', 5, first.nextToken), 'InvalidRequestException', 400);
    await expectIotError(
      ep.iot.send(
        new ListThingsInThingGroupCommand({
          thingGroupName: 'building-1',
          recursive: false,
          nextToken: first.nextToken,
        }),
      ),
      'InvalidRequestException',
      400,
    );
    const forged = Buffer.from(JSON.stringify({ s: 'anything', a: 3 })).toString('base64url');
    await expectIotError(page('building-1', 5, forged), 'InvalidRequestException', 400);
  });
});
