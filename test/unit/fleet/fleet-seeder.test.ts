import { describe, expect, it } from 'vitest';
import { defaultHardware, defaultRegions, planFleet } from '../../../local/fleet/fleet-seeder.js';
import { InMemoryThingDirectory } from '../../../local/fleet/thing-directory.js';

describe('fleet seeder: a realistic, reproducible fleet plan', () => {
  const plan = planFleet({ size: 10_000, seed: 42 });

  it('plans unique, valid thing names, each in one region group and one hardware group', () => {
    expect(plan.things).toHaveLength(10_000);
    expect(new Set(plan.things.map((t) => t.thingName)).size).toBe(10_000);
    const regions = new Set(defaultRegions.map((g) => g.groupName));
    const hardware = new Set(defaultHardware.map((g) => g.groupName));
    for (const thing of plan.things) {
      expect(thing.thingName).toMatch(/^[a-zA-Z0-9:_-]{1,128}$/);
      expect(regions.has(thing.groups[0]!)).toBe(true);
      expect(hardware.has(thing.groups[1]!)).toBe(true);
    }
    expect(plan.things[0]!.thingName).toMatch(/^gw[abc]-(euw|euc|use|usw|apse)-000000$/);
  });

  it('spreads things over the groups by weight and puts 1% in the canary-bad cohort', () => {
    const size = (name: string) => plan.groups.find((g) => g.groupName === name)!.size;
    expect(size('eu-west') / 10_000).toBeCloseTo(0.3, 1);
    expect(size('gw-rev-b') / 10_000).toBeCloseTo(0.5, 1);
    expect(size('canary-bad')).toBe(100);
    expect(plan.things.filter((t) => t.groups.includes('canary-bad'))).toHaveLength(100);
    expect(plan.groups.filter((g) => g.kind === 'region').reduce((n, g) => n + g.size, 0)).toBe(10_000);
    expect(plan.groups.filter((g) => g.kind === 'hardware').reduce((n, g) => n + g.size, 0)).toBe(10_000);
  });

  it('gives the same plan for the same seed and another for another seed', () => {
    expect(planFleet({ size: 500, seed: 42 })).toEqual(planFleet({ size: 500, seed: 42 }));
    expect(planFleet({ size: 500, seed: 43 })).not.toEqual(planFleet({ size: 500, seed: 42 }));
    // A thing keeps its region and hardware when the fleet grows.
    expect(planFleet({ size: 600, seed: 42 }).things[123]!.thingName).toBe(
      planFleet({ size: 500, seed: 42 }).things[123]!.thingName,
    );
  });

  it('honours custom groups and cohort share, and feeds a ThingDirectory', () => {
    const custom = planFleet({
      size: 10,
      seed: 'x',
      regions: [{ groupName: 'lab', code: 'lab', weight: 1 }],
      hardware: [{ groupName: 'devkit', code: 'dk', weight: 1 }],
      canaryGroupName: 'flaky',
      canaryShare: 0.3,
    });
    const directory = new InMemoryThingDirectory(custom.things);
    expect(directory.groupsOf('dk-lab-000000').slice(0, 2)).toEqual(['lab', 'devkit']);
    expect(custom.things.filter((t) => directory.groupsOf(t.thingName).includes('flaky'))).toHaveLength(3);
    expect(planFleet({ size: 0, seed: 1 }).things).toEqual([]);
    expect(() => planFleet({ size: -1, seed: 1 })).toThrow(RangeError);
  });
});
