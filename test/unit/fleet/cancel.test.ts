import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, type Harness, minute, profile, setUp, thingNames } from './harness.js';

let h: Harness;
afterEach(() => h.simulator.stop());

/** Devices take 20 s to start and 30 minutes to finish; 20 things notified per minute. */
async function startLongJob(): Promise<void> {
  h = setUp({ profiles: profile({ startSeconds: 20, runSeconds: 30 * 60 }) });
  h.store.createJob({
    jobId: 'long',
    things: thingNames('t', 100),
    jobExecutionsRolloutConfig: { maximumPerMinute: 20 },
  });
  await h.clock.advance(2 * minute + 30_000);
}

describe('CancelJob: the simulator stops notifying and drops the canceled executions’ work', () => {
  it('without force: no more notifications, IN_PROGRESS devices run on and finish, the job stays CANCELED', async () => {
    await startLongJob();
    const running = h.store.thingsIn('long', 'IN_PROGRESS');
    const notifiedBefore = eventsOf(h.events, 'notified', 'long');
    // Some things were notified but had not started yet: the store cancels them with the rest of the queue.
    const notifiedNotStarted = notifiedBefore
      .filter((e) => !running.includes(e.thingName))
      .map((e) => e.thingName);
    expect(running.length).toBeGreaterThan(0);
    expect(notifiedNotStarted.length).toBeGreaterThan(0);

    h.store.cancelJob('long', false);
    await h.clock.advance(60 * minute);

    expect(eventsOf(h.events, 'notified', 'long')).toHaveLength(notifiedBefore.length);
    for (const thing of running) expect(h.store.getExecution('long', thing)!.status).toBe('SUCCEEDED');
    for (const thing of notifiedNotStarted)
      expect(h.store.getExecution('long', thing)!.status).toBe('CANCELED');
    expect(h.store.counts('long')).toMatchObject({
      SUCCEEDED: running.length,
      CANCELED: 100 - running.length,
    });
    expect(h.store.getJob('long')!.status).toBe('CANCELED');
    expect(h.simulator.jobStats('long')).toMatchObject({ active: false, waitingToNotify: 0 });
    expect(h.counterViolations).toEqual([]);
  });

  it('with force: IN_PROGRESS executions are canceled by the store and their devices never move them again', async () => {
    await startLongJob();
    const running = h.store.thingsIn('long', 'IN_PROGRESS');
    expect(running.length).toBeGreaterThan(0);
    const eventsBefore = h.events.length;
    const changesBefore = h.store.changes.length;

    h.store.cancelJob('long', true);
    const changesByCancel = h.store.changes.length;
    await h.clock.advance(60 * minute);

    expect(h.store.changes.length).toBe(changesByCancel);
    expect(h.store.changes.slice(changesBefore).every((c) => c.kind === 'job' || c.to === 'CANCELED')).toBe(
      true,
    );
    expect(h.events.slice(eventsBefore)).toEqual([]);
    expect(h.store.counts('long').CANCELED).toBe(100);
  });

  it('DeleteJob drops the job’s pending work', async () => {
    await startLongJob();
    h.store.deleteJob('long');
    const eventsBefore = h.events.length;
    await h.clock.advance(60 * minute);
    expect(h.events.length).toBe(eventsBefore);
    expect(h.simulator.jobStats('long')).toBeUndefined();
  });

  it('skips an execution canceled on its own (CancelJobExecution) without spending the rollout budget on it', async () => {
    h = setUp();
    h.store.createJob({
      jobId: 'one',
      things: ['a', 'b', 'c'],
      jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
    });
    h.store.cancelExecution('one', 'b');
    await h.clock.advance(2 * minute + 1000);
    expect(eventsOf(h.events, 'notified', 'one').map((e) => e.thingName)).toEqual(['a', 'c']);
    await h.clock.advance(minute);
    expect(h.store.getJob('one')!.status).toBe('COMPLETED');
  });
});
