import { describe, expect, it } from 'vitest';
import { newestCopies } from '../../../lib/adapters/release-repository-items.js';

describe('listing releases across status partitions', () => {
  it('keeps one copy of a release read from two partitions while it changed status: the newer one', () => {
    const items = [
      { releaseId: 'a', status: 'PENDING', version: 1, gsi1sk: '2026-12-06T10:00:00.000Z#a' },
      { releaseId: 'b', status: 'SUCCEEDED', version: 9, gsi1sk: '2026-12-06T09:00:00.000Z#b' },
      { releaseId: 'a', status: 'IN_PROGRESS', version: 2, gsi1sk: '2026-12-06T10:00:00.000Z#a' },
    ];
    expect(newestCopies(items).map((i) => [i.releaseId, i.status])).toEqual([
      ['b', 'SUCCEEDED'],
      ['a', 'IN_PROGRESS'],
    ]);
  });

  it('leaves a listing without repeats as it is', () => {
    const items = [
      { releaseId: 'a', version: 3 },
      { releaseId: 'b', version: 1 },
    ];
    expect(newestCopies(items)).toEqual(items);
  });
});
