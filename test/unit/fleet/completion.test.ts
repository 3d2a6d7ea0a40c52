import { afterEach, describe, expect, it } from 'vitest';
import { defaultBehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import { eventsOf, type Harness, minute, profile, setUp, thingNames } from './harness.js';

let h: Harness;
afterEach(() => h.simulator.stop());

describe('completion: a SNAPSHOT job completes once every execution is terminal', () => {
  it('completes a SNAPSHOT job when its last execution ends, with the counters adding up at every step', async () => {
    h = setUp({
      profiles: {
        ...defaultBehaviourProfiles,
        default: { ...defaultBehaviourProfiles.default, outcomes: { fail: 0.1, reject: 0.05 } },
      },
    });
    h.store.createJob({
      jobId: 'snap',
      things: thingNames('t', 500),
      timeoutConfig: { inProgressTimeoutInMinutes: 10 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    });
    await h.clock.advance(60 * minute);
    const counts = h.store.counts('snap');
    expect(counts.QUEUED + counts.IN_PROGRESS).toBe(0);
    expect(counts.SUCCEEDED + counts.FAILED + counts.REJECTED + counts.TIMED_OUT).toBe(500);
    expect(h.store.getJob('snap')!.status).toBe('COMPLETED');
    const lastEnd = Math.max(...eventsOf(h.events, 'ended', 'snap').map((e) => e.at));
    expect(eventsOf(h.events, 'completed', 'snap')).toEqual([
      { type: 'completed', at: lastEnd, jobId: 'snap' },
    ]);
    expect(h.counterViolations).toEqual([]);
  });

  it('keeps a SNAPSHOT job IN_PROGRESS while an offline device leaves its execution QUEUED', async () => {
    h = setUp({ profiles: profile({}, [{ match: { thingName: 'off-*' }, outcomes: { offline: 1 } }]) });
    h.store.createJob({ jobId: 'stuck', things: ['on-1', 'off-1'] });
    await h.clock.advance(120 * minute);
    expect(h.store.counts('stuck')).toMatchObject({ SUCCEEDED: 1, QUEUED: 1 });
    expect(h.store.getJob('stuck')!.status).toBe('IN_PROGRESS');
  });

  it('completes a SNAPSHOT job once its last open execution is canceled on its own after the rollout', async () => {
    h = setUp({ profiles: profile({}, [{ match: { thingName: 'off-*' }, outcomes: { offline: 1 } }]) });
    h.store.createJob({ jobId: 'left', things: ['on-1', 'off-1'] });
    await h.clock.advance(10 * minute);
    expect(h.store.getJob('left')!.status).toBe('IN_PROGRESS');
    h.store.cancelExecution('left', 'off-1');
    h.simulator.executionEndedElsewhere('left');
    await h.clock.advance(1000);
    expect(h.store.getJob('left')!.status).toBe('COMPLETED');
    expect(h.store.counts('left')).toMatchObject({ SUCCEEDED: 1, CANCELED: 1 });
  });

  it('completes a SNAPSHOT job with no executions at once', async () => {
    h = setUp();
    h.store.createJob({ jobId: 'empty', things: [] });
    await h.clock.advance(0);
    expect(h.store.getJob('empty')!.status).toBe('COMPLETED');
  });

  it('waits for a SCHEDULED job to start before notifying anyone', async () => {
    h = setUp();
    h.store.createJob({ jobId: 'later', things: ['a'], status: 'SCHEDULED' });
    await h.clock.advance(5 * minute);
    expect(eventsOf(h.events, 'notified')).toHaveLength(0);
    // Waiting costs no timer: the simulator ticks again only when the job starts.
    expect(h.clock.pending).toBe(0);
    h.store.startJob('later');
    await h.clock.advance(minute);
    expect(h.store.getExecution('later', 'a')!.status).toBe('SUCCEEDED');
  });
});
