/**
 * How often a scheduled wave looks at its job, and from what it judges its
 * timeout, with in-memory fakes: with dense windows (a minute every five)
 * its safety net counts open time, so a virtual day costs a handful of
 * CheckWave looks, not one per window edge; its deadline is set once, when
 * its clock starts, kept on the wave, and every later look reads it.
 */
import { describe, expect, it } from 'vitest';
import type { ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { releaseView } from '../../../lib/releases/release-view.js';
import { checkWave } from '../../../lib/workflow/check-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, firstWaveStarted, NOW } from './fakes.js';

/** A one-minute window every five minutes: 288 windows a day, 288 minutes of open time. */
const DENSE = [{ startTime: 'cron(0/5 * * * ? *)', durationInMinutes: 1 }];
const DAY_MS = 86_400_000;
const things = ['t1', 't2', 't3'];

function running(
  deps: FakeWorkflow,
  wave: Partial<ReleaseRequestInput['waves'][number]> = {},
): Promise<WorkflowState> {
  return firstWaveStarted(deps, {
    schedulingConfig: { maintenanceWindows: DENSE },
    waves: [{ targets: { things }, ...wave }],
  });
}

describe('a wave with dense maintenance windows', () => {
  it('looks at a hung job a few times a virtual day, by open time, not at every window edge', async () => {
    const deps = fakeWorkflow();
    // The default 1440-minute timeout: five virtual days of 288 open minutes each.
    let state = await running(deps);
    // Its devices hang: one in progress for ever, no event wakes the wave.
    deps.jobs.progress('r1-w01', {
      counts: { ...ZERO_COUNTS, numberOfInProgressThings: 1, numberOfQueuedThings: 2 },
    });
    let nowMs = Date.parse(NOW);
    let looks = 0;
    while (state.next === 'poll' && nowMs < Date.parse(NOW) + DAY_MS) {
      nowMs += (state.poll?.safetyNetSeconds ?? 0) * 1000;
      state = await checkWave(deps, { state, now: new Date(nowMs).toISOString() });
      looks++;
    }
    // 5, then ×4 (3 × the age) open minutes, capped at 6 h of open time (a quarter of the timeout):
    // 5 min open (~25 wall), ~75 min open (~6 h wall), 6 h open (~30 h wall) — three looks, where a
    // look at each opening and closing would have been 577.
    expect(state.next).toBe('poll');
    expect(looks).toBe(3);
  });

  it('times out by the deadline set at its start, kept on the wave and read by every look', async () => {
    const deps = fakeWorkflow();
    let state = await running(deps, { timeoutMinutes: 10 });
    const wave = await deps.store.getWave('r1', 1);
    // Ten minutes of one-minute windows every five minutes: the tenth window, 00:45–00:46, ends it.
    expect(wave.clock).toEqual({ from: NOW, timeoutAt: '2026-01-01T00:46:00.000Z', windows: DENSE });
    deps.jobs.progress('r1-w01', { counts: { ...ZERO_COUNTS, numberOfInProgressThings: 3 } });
    state = await checkWave(deps, { state, now: '2026-01-01T00:45:30.000Z' });
    expect(state.next).toBe('poll');
    // The stored deadline is the one judged: a look does not walk the windows again.
    await deps.store.recordWaveProgress('r1', 1, {
      counts: { ...ZERO_COUNTS, numberOfInProgressThings: 3 },
      jobStatus: 'IN_PROGRESS',
      polledAt: '2026-01-01T00:45:31.000Z',
      clock: { from: NOW, timeoutAt: '2026-01-01T00:45:40.000Z', windows: DENSE },
    });
    state = await checkWave(deps, { state, now: '2026-01-01T00:45:45.000Z' });
    expect(state).toMatchObject({ next: 'fail', failure: { waveStatus: 'TIMED_OUT' } });
  });

  it("shows the window as it is when the release is read, not as the wave's last look saw it", async () => {
    const deps = fakeWorkflow();
    await running(deps);
    const loaded = await deps.store.getRelease('r1');
    // The look at 00:00 saw the first window open until 00:01.
    expect(releaseView(loaded, Date.parse('2026-01-01T00:00:00Z')).waves[0]?.window).toEqual({
      open: true,
      closesAt: '2026-01-01T00:01:00.000Z',
    });
    const read = releaseView(loaded, Date.parse('2026-01-01T00:02:00.000Z')).waves[0];
    expect(read?.window).toEqual({ open: false, opensAt: '2026-01-01T00:05:00.000Z' });
    expect(read).not.toHaveProperty('clock');
  });
});
