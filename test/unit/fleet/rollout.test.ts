import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, type Harness, maxInAnyWindow, minute, setUp, thingNames } from './harness.js';

let h: Harness;
afterEach(() => h.simulator.stop());

describe('rollout: things are notified no faster than the job’s rate', () => {
  it('notifies no more than maximumPerMinute things in any virtual minute window', async () => {
    h = setUp();
    h.store.createJob({
      jobId: 'fixed',
      things: thingNames('t', 1000),
      jobExecutionsRolloutConfig: { maximumPerMinute: 100 },
    });
    await h.clock.advance(12 * minute);
    const notified = eventsOf(h.events, 'notified', 'fixed');
    expect(notified).toHaveLength(1000);
    expect(maxInAnyWindow(notified.map((e) => e.at))).toBeLessThanOrEqual(100);
    // ...and uses its budget: 1000 things at 100 per minute take about 10 minutes.
    const last = notified[notified.length - 1]!.at - notified[0]!.at;
    expect(last).toBeGreaterThan(9.5 * minute);
    expect(last).toBeLessThan(10.5 * minute);
  });

  it('notifies at most 1000 things per minute when the job has no rollout configuration', async () => {
    h = setUp();
    h.store.createJob({ jobId: 'default', things: thingNames('t', 3000) });
    await h.clock.advance(4 * minute);
    const notified = eventsOf(h.events, 'notified', 'default');
    expect(notified).toHaveLength(3000);
    expect(maxInAnyWindow(notified.map((e) => e.at))).toBeLessThanOrEqual(1000);
    expect(notified.every((e) => e.ratePerMinute === 1000)).toBe(true);
  });

  it('follows the AWS exponential example: 50, 100, 200 then 400 per minute, every 1000 notified things', async () => {
    h = setUp();
    h.store.createJob({
      jobId: 'exp',
      things: thingNames('t', 4000),
      jobExecutionsRolloutConfig: {
        maximumPerMinute: 1000,
        exponentialRate: {
          baseRatePerMinute: 50,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1000 },
        },
      },
    });
    await h.clock.advance(40 * minute);
    const notified = eventsOf(h.events, 'notified', 'exp');
    expect(notified).toHaveLength(4000);
    const phases = [50, 100, 200, 400].map((rate) => notified.filter((e) => e.ratePerMinute === rate));
    // Each rate serves (about) 1000 notifications: the rate rises as the 1000th thing is notified.
    for (const phase of phases) expect(Math.abs(phase.length - 1000)).toBeLessThanOrEqual(1);
    phases.forEach((phase, i) => {
      const rate = [50, 100, 200, 400][i]!;
      expect(maxInAnyWindow(phase.map((e) => e.at))).toBeLessThanOrEqual(rate);
      // 1000 things at `rate` per minute take 1000/rate minutes.
      const duration = (phase[phase.length - 1]!.at - phase[0]!.at) / minute;
      expect(duration).toBeGreaterThan(1000 / rate - 1);
      expect(duration).toBeLessThan(1000 / rate + 0.5);
    });
  });

  it('raises an exponential rate with numberOfSucceededThings as devices succeed, capped at maximumPerMinute', async () => {
    h = setUp();
    const rateWhenNotified: Array<[rate: number, succeeded: number]> = [];
    h.store.createJob({
      jobId: 'succ',
      things: thingNames('t', 400),
      jobExecutionsRolloutConfig: {
        maximumPerMinute: 80,
        exponentialRate: {
          baseRatePerMinute: 10,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfSucceededThings: 20 },
        },
      },
    });
    const seen = h.events.length;
    await h.clock.advance(30 * minute);
    for (const e of eventsOf(h.events.slice(seen), 'notified', 'succ')) {
      // Succeeded executions at that instant, from the store's log.
      const succeeded = h.store.changes.filter(
        (c) => c.kind === 'execution' && c.to === 'SUCCEEDED' && c.at <= e.at,
      ).length;
      rateWhenNotified.push([e.ratePerMinute!, succeeded]);
    }
    expect(rateWhenNotified).toHaveLength(400);
    for (const [rate, succeeded] of rateWhenNotified) {
      expect(rate).toBe(Math.min(80, 10 * 2 ** Math.floor(succeeded / 20)));
    }
    expect([...new Set(rateWhenNotified.map(([rate]) => rate))]).toEqual([10, 20, 40, 80]);
  });
});
