import { afterEach, describe, expect, it } from 'vitest';
import type { FakeChange } from '../../support/fake-job-service.js';
import { type Harness, minute, profile, setUp, thingNames } from './harness.js';

let h: Harness;
afterEach(() => h.simulator.stop());

const moves = (changes: FakeChange[], to: string) =>
  changes.filter(
    (c): c is Extract<FakeChange, { kind: 'execution' }> => c.kind === 'execution' && c.to === to,
  );

describe('timeout: an execution IN_PROGRESS longer than inProgressTimeoutInMinutes becomes TIMED_OUT', () => {
  it('times out a hung device exactly inProgressTimeoutInMinutes after it started, not before', async () => {
    h = setUp({ profiles: profile({ outcomes: { hang: 1 }, startSeconds: 2 }) });
    h.store.createJob({
      jobId: 'hang',
      things: thingNames('t', 10),
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
    });
    await h.clock.advance(5 * minute);
    expect(h.store.counts('hang').IN_PROGRESS).toBe(10);
    expect(moves(h.store.changes, 'TIMED_OUT')).toHaveLength(0);

    await h.clock.advance(minute);
    const started = new Map(moves(h.store.changes, 'IN_PROGRESS').map((c) => [c.thingName, c.at]));
    const timedOut = moves(h.store.changes, 'TIMED_OUT');
    expect(timedOut).toHaveLength(10);
    for (const change of timedOut) expect(change.at - started.get(change.thingName)!).toBe(5 * minute);
    expect(h.store.getJob('hang')!.status).toBe('COMPLETED');
  });

  it('lets a device that ends within the timeout (or exactly at it) end with its own status', async () => {
    h = setUp({
      profiles: profile({ runSeconds: 60 }, [
        { match: { thingName: 'slow-*' }, runLatency: { medianSeconds: 61, spread: 0 } },
      ]),
    });
    h.store.createJob({
      jobId: 'edge',
      things: ['fast-1', 'slow-1'],
      timeoutConfig: { inProgressTimeoutInMinutes: 1 },
    });
    await h.clock.advance(5 * minute);
    expect(h.store.getExecution('edge', 'fast-1')!.status).toBe('SUCCEEDED');
    expect(h.store.getExecution('edge', 'slow-1')!.status).toBe('TIMED_OUT');
  });

  it('never times out a QUEUED execution whose device stays offline', async () => {
    h = setUp({ profiles: profile({ outcomes: { offline: 1 } }) });
    h.store.createJob({
      jobId: 'offline',
      things: thingNames('t', 3),
      timeoutConfig: { inProgressTimeoutInMinutes: 1 },
    });
    await h.clock.advance(60 * minute);
    expect(h.store.counts('offline').QUEUED).toBe(3);
    expect(h.store.getJob('offline')!.status).toBe('IN_PROGRESS');
  });
});
