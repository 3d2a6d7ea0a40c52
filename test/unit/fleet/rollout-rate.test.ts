import { describe, expect, it } from 'vitest';
import { NotificationBudget, rolloutRatePerMinute } from '../../../local/fleet/rollout-rate.js';

const none = { notifiedThings: 0, succeededThings: 0 };

describe('rollout rate (jobExecutionsRolloutConfig)', () => {
  it('defaults to 1000 per minute without a rollout configuration', () => {
    expect(rolloutRatePerMinute(undefined, none)).toBe(1000);
    expect(rolloutRatePerMinute({}, none)).toBe(1000);
  });

  it('uses maximumPerMinute as a constant rate', () => {
    expect(
      rolloutRatePerMinute({ maximumPerMinute: 37 }, { notifiedThings: 5000, succeededThings: 5000 }),
    ).toBe(37);
  });

  it('follows the AWS worked example: base 50, factor 2, every 1000 notified things: 50, 100, 200, 400', () => {
    const config = {
      exponentialRate: {
        baseRatePerMinute: 50,
        incrementFactor: 2,
        rateIncreaseCriteria: { numberOfNotifiedThings: 1000 },
      },
    };
    const rates = [0, 999, 1000, 1999, 2000, 3000, 3999].map((n) =>
      rolloutRatePerMinute(config, { notifiedThings: n, succeededThings: 0 }),
    );
    expect(rates).toEqual([50, 50, 100, 100, 200, 400, 400]);
  });

  it('increases with succeeded things when the criterion is numberOfSucceededThings, not with notified things', () => {
    const config = {
      exponentialRate: {
        baseRatePerMinute: 10,
        incrementFactor: 1.5,
        rateIncreaseCriteria: { numberOfSucceededThings: 20 },
      },
    };
    expect(rolloutRatePerMinute(config, { notifiedThings: 10_000, succeededThings: 19 })).toBe(10);
    expect(rolloutRatePerMinute(config, { notifiedThings: 0, succeededThings: 20 })).toBe(15);
    expect(rolloutRatePerMinute(config, { notifiedThings: 0, succeededThings: 40 })).toBe(22);
  });

  it('never exceeds maximumPerMinute with an exponential rate, nor 1000 without it', () => {
    const exponentialRate = {
      baseRatePerMinute: 300,
      incrementFactor: 5,
      rateIncreaseCriteria: { numberOfNotifiedThings: 1 },
    };
    expect(
      rolloutRatePerMinute(
        { exponentialRate, maximumPerMinute: 700 },
        { notifiedThings: 1, succeededThings: 0 },
      ),
    ).toBe(700);
    expect(rolloutRatePerMinute({ exponentialRate }, { notifiedThings: 1_000_000, succeededThings: 0 })).toBe(
      1000,
    );
  });
});

describe('notification budget', () => {
  it('never lets more than the rate through in any 60-second window, whatever the demand', () => {
    const budget = new NotificationBudget();
    const sentAt: number[] = [];
    for (let second = 0; second < 600; second++) {
      const rate = second < 300 ? 90 : 450;
      const n = budget.allowance(second, rate);
      budget.record(second, n);
      for (let i = 0; i < n; i++) sentAt.push(second);
      let window = 0;
      for (const s of sentAt) if (s > second - 60) window++;
      expect(window).toBeLessThanOrEqual(rate);
    }
    // Pacing keeps the long-run rate: ~90 per minute for 5 minutes, then ~450.
    expect(sentAt.filter((s) => s < 300).length).toBeGreaterThanOrEqual(448);
    expect(sentAt.filter((s) => s >= 300).length).toBeGreaterThanOrEqual(2245);
  });

  it('spreads a minute’s budget over the minute instead of spending it at once', () => {
    const budget = new NotificationBudget();
    const perSecond: number[] = [];
    for (let second = 0; second < 60; second++) {
      const n = budget.allowance(second, 1000);
      budget.record(second, n);
      perSecond.push(n);
    }
    expect(Math.max(...perSecond)).toBeLessThanOrEqual(17);
    expect(Math.min(...perSecond)).toBeGreaterThanOrEqual(16);
  });

  it('does not bank credit while idle', () => {
    const budget = new NotificationBudget();
    budget.record(0, budget.allowance(0, 600));
    expect(budget.allowance(3600, 600)).toBe(11);
  });
});
