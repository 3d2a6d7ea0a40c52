import { describe, expect, it } from 'vitest';
import {
  assignCohorts,
  COHORT_BUCKETS,
  cohortBucket,
  cohortRanges,
  cohortThingGroupName,
  cohortWaveOf,
} from '../../../lib/domain/cohorts.js';
import { thingNameSchema } from '../../../lib/domain/release-request.js';

const fleet = Array.from({ length: 2000 }, (_, i) => `sensor-${String(i).padStart(5, '0')}`);
const waves = [{ percentage: 1 }, { percentage: 10 }, { percentage: 100 }];

describe('cohorts', () => {
  it('puts every thing of a 2,000-thing fleet in exactly one wave for 1 → 10 → 100', () => {
    const cohorts = assignCohorts('fw-2-4-1', fleet, waves);
    const all = [...cohorts.values()].flat();
    expect(all).toHaveLength(fleet.length);
    expect(new Set(all).size).toBe(fleet.length);
    expect([...cohorts.keys()]).toEqual([1, 2, 3]);
  });

  it('draws cohorts near their percentages', () => {
    const cohorts = assignCohorts('fw-2-4-1', fleet, waves);
    const sizes = [1, 2, 3].map((n) => cohorts.get(n)?.length ?? 0);
    // Expected 20, 180, 1800; the bounds are about four standard deviations wide.
    expect(sizes[0]).toBeGreaterThanOrEqual(5);
    expect(sizes[0]).toBeLessThanOrEqual(38);
    expect(sizes[1]).toBeGreaterThanOrEqual(130);
    expect(sizes[1]).toBeLessThanOrEqual(230);
    expect(sizes[2]).toBe(2000 - (sizes[0] ?? 0) - (sizes[1] ?? 0));
  });

  it('picks the same things for the same release id, whatever the fleet order and repeats', () => {
    const first = assignCohorts('fw-2-4-1', fleet, waves);
    const again = assignCohorts('fw-2-4-1', [...fleet].reverse().concat(fleet.slice(0, 50)), waves);
    expect(again).toEqual(first);
  });

  it('picks other things for another release id', () => {
    const a = assignCohorts('fw-2-4-1', fleet, waves).get(2) ?? [];
    const b = assignCohorts('fw-2-4-2', fleet, waves).get(2) ?? [];
    const shared = a.filter((name) => b.includes(name));
    // Independent 9 % draws share about 9 % of their members.
    expect(shared.length).toBeLessThan(a.length / 2);
  });

  it('leaves waves with their own targets out of the split', () => {
    const mixed = [{ percentage: undefined }, { percentage: 50 }, { percentage: 100 }];
    expect(cohortRanges(mixed)).toEqual([
      { waveNumber: 2, fromBucket: 0, toBucket: 5000 },
      { waveNumber: 3, fromBucket: 5000, toBucket: 10_000 },
    ]);
  });

  it('maps fractional percentages to hundredth-of-a-percent buckets', () => {
    expect(cohortRanges([{ percentage: 0.5 }, { percentage: 12.25 }, { percentage: 100 }])).toEqual([
      { waveNumber: 1, fromBucket: 0, toBucket: 50 },
      { waveNumber: 2, fromBucket: 50, toBucket: 1225 },
      { waveNumber: 3, fromBucket: 1225, toBucket: 10_000 },
    ]);
  });

  it('gives a thing no wave when the last percentage stops short of 100', () => {
    const ranges = cohortRanges([{ percentage: 50 }]);
    const outside = fleet.find((name) => cohortBucket('r', name) >= 5000);
    expect(outside).toBeDefined();
    expect(cohortWaveOf('r', outside ?? '', ranges)).toBeUndefined();
  });

  it('keeps buckets within [0, 10000)', () => {
    const buckets = fleet.map((name) => cohortBucket('fw', name));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(COHORT_BUCKETS);
  });
});

describe('cohortThingGroupName', () => {
  it('is fleetwave-<releaseId>-w<nn>', () => {
    expect(cohortThingGroupName('fw-2-4-1', 3)).toBe('fleetwave-fw-2-4-1-w03');
  });

  it('stays a valid IoT thing-group name for the longest release id and the last wave', () => {
    const name = cohortThingGroupName('r'.repeat(56), 50);
    expect(name).toHaveLength(70);
    expect(thingNameSchema.safeParse(name).success).toBe(true);
  });
});
