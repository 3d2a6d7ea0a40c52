import { describe, expect, it } from 'vitest';
import { percent, shareOf } from '../../../../dashboard/app/format.js';

describe("the dashboard's shares", () => {
  it('rounds a share as the API does, to two decimals', () => {
    expect(shareOf(8997, 10_000)).toBe(89.97);
    expect(shareOf(1, 3)).toBe(33.33);
    expect(shareOf(5, 0)).toBe(0);
  });

  it('shows two decimals near a threshold, so a share just short of it never reads as reaching it', () => {
    expect(percent(89.96, [90, 10])).toBe('89.96 %');
    expect(percent(10.04, [90, 10])).toBe('10.04 %');
    expect(percent(33.33, [90, 10])).toBe('33.3 %');
    expect(percent(undefined, [90])).toBe('–');
  });
});
