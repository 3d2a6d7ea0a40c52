import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, type Harness, minute, setUp } from './harness.js';

let h: Harness;
afterEach(() => h.simulator.stop());

describe('CONTINUOUS jobs: executions added after creation are picked up; the job never completes on its own', () => {
  it('picks up a thing that joins the target group after the job was created', async () => {
    h = setUp();
    h.store.createJob({ jobId: 'cont', things: ['a', 'b'], targetSelection: 'CONTINUOUS' });
    await h.clock.advance(5 * minute);
    expect(h.store.counts('cont').SUCCEEDED).toBe(2);
    expect(h.store.getJob('cont')!.status).toBe('IN_PROGRESS');

    h.store.addExecution('cont', 'late');
    await h.clock.advance(5 * minute);
    expect(h.store.getExecution('cont', 'late')!.status).toBe('SUCCEEDED');
    expect(h.store.getJob('cont')!.status).toBe('IN_PROGRESS');
    expect(eventsOf(h.events, 'completed')).toHaveLength(0);
  });

  it('notifies a newcomer at once, outside the rollout rate, as AWS does for things joining after creation', async () => {
    h = setUp();
    h.store.createJob({
      jobId: 'slow',
      things: ['a', 'b', 'c'],
      targetSelection: 'CONTINUOUS',
      jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
    });
    await h.clock.advance(1000);
    h.store.addExecution('slow', 'late');
    await h.clock.advance(1000);
    const notified = eventsOf(h.events, 'notified', 'slow');
    expect(notified.map((e) => e.thingName)).toEqual(['a', 'late']);
    expect(notified[1]!.ratePerMinute).toBeUndefined();
    // The initial rollout keeps its own pace.
    await h.clock.advance(2 * minute);
    expect(eventsOf(h.events, 'notified', 'slow').map((e) => e.thingName)).toEqual(['a', 'late', 'b', 'c']);
  });
});
