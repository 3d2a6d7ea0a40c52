import { afterEach, describe, expect, it } from 'vitest';
import { defaultBehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import { executionStream, sharedExecutionStream, streamFromText } from '../../../local/fleet/random.js';
import { eventsOf, type Harness, minute, setUp, thingNames } from './harness.js';

const things = thingNames('dev', 300);
const profiles = {
  ...defaultBehaviourProfiles,
  default: {
    ...defaultBehaviourProfiles.default,
    outcomes: { fail: 0.2, reject: 0.1, offline: 0.1, hang: 0.1 },
  },
};

interface ThingFate {
  outcome: string;
  status: string;
  /** ms from notification to IN_PROGRESS, and from IN_PROGRESS to the end. */
  startDelay?: number;
  runTime?: number;
}

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.simulator.stop();
});

/** Runs the fleet once and returns each thing's fate. */
async function fates(seed: string, maximumPerMinute: number): Promise<Map<string, ThingFate>> {
  const h = setUp({ seed, profiles });
  harnesses.push(h);
  // Reverse order and a different rate: the simulator reaches the things in another order and at other times.
  const order = maximumPerMinute < 1000 ? [...things].reverse() : things;
  h.store.createJob({
    jobId: 'job-1',
    things: order,
    jobExecutionsRolloutConfig: { maximumPerMinute },
    timeoutConfig: { inProgressTimeoutInMinutes: 60 },
  });
  await h.clock.advance(24 * 60 * minute);
  const result = new Map<string, ThingFate>();
  const started = new Map(eventsOf(h.events, 'started').map((e) => [e.thingName, e.at]));
  const ended = new Map(eventsOf(h.events, 'ended').map((e) => [e.thingName, e.at]));
  for (const e of eventsOf(h.events, 'notified')) {
    const startAt = started.get(e.thingName);
    const endAt = ended.get(e.thingName);
    result.set(e.thingName, {
      outcome: e.outcome,
      status: h.store.getExecution('job-1', e.thingName)!.status,
      startDelay: startAt === undefined ? undefined : startAt - e.at,
      runTime: startAt === undefined || endAt === undefined ? undefined : endAt - startAt,
    });
  }
  return result;
}

describe('reproducibility: outcomes and latencies are a pure function of (seed, thing, job, executionNumber)', () => {
  it('gives every thing the same outcome and latencies with the same seed, whatever the rollout order and rate', async () => {
    const fast = await fates('seed-A', 1000);
    const slow = await fates('seed-A', 7);
    expect(fast.size).toBe(300);
    expect(slow).toEqual(fast);
    // The mix is really mixed, so the comparison means something.
    const outcomes = new Set([...fast.values()].map((f) => f.outcome));
    expect(outcomes).toEqual(new Set(['succeed', 'fail', 'reject', 'offline', 'hang']));
  });

  it('gives different outcomes with a different seed', async () => {
    const a = await fates('seed-A', 1000);
    const b = await fates('seed-B', 1000);
    const differing = things.filter((t) => a.get(t)!.outcome !== b.get(t)!.outcome);
    expect(differing.length).toBeGreaterThan(50);
  });

  it('draws the same stream for the same key and a different one for the next attempt', () => {
    const draw = (n: number) => Array.from({ length: 4 }, executionStream('s', 'job', 'thing', n));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(2)).not.toEqual(draw(1));
    expect(draw(1).every((u) => u >= 0 && u < 1)).toBe(true);
  });

  it('keeps the draws of every attempt key as they were, from a generator of its own or the shared one', () => {
    // Pinned: a change of the hash or the generator would change every device's fate.
    const pinned = [0.3776194313541055, 0.9816221797373146, 0.19187316833995283, 0.6999296282883734];
    expect(Array.from({ length: 4 }, executionStream('s', 'job', 'thing', 1))).toEqual(pinned);
    expect(Array.from({ length: 4 }, sharedExecutionStream('s', 'job', 'thing', 1))).toEqual(pinned);
    const other = Array.from({ length: 4 }, executionStream('bench', 'bench-1000k', 'gwb-use-000001', 12));
    expect(other).toEqual([0.8431753113400191, 0.13402730855159461, 0.6331360393669456, 0.2497725842986256]);
    expect(
      Array.from({ length: 4 }, sharedExecutionStream('bench', 'bench-1000k', 'gwb-use-000001', 12)),
    ).toEqual(other);
    expect(Array.from({ length: 2 }, streamFromText('seed\u0000thing\u00007'))).toEqual([
      0.8649212198797613, 0.3897482855245471,
    ]);
  });
});
