/**
 * The approval gate and the hold wait a week for their answer, or only
 * until the release's end time when it comes first; a hold still PAUSED at
 * the end time ends the release by its end behaviour.
 */
import { describe, expect, it } from 'vitest';
import { continueRelease } from '../../../lib/workflow/continue-release.js';
import { withGateTimeout } from '../../../lib/workflow/gate-timeout.js';
import { holdRelease } from '../../../lib/workflow/hold-release.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { fakeWorkflow, NOW } from './fakes.js';

const nowMs = Date.parse(NOW);
const WEEK = 604_800;

describe('how long a gate or a hold waits', () => {
  it('is a week, cut at the end time, only for an output that goes to a gate or a hold', () => {
    const base = { releaseId: 'r1' };
    expect(withGateTimeout({ ...base, next: 'approval' as const }, nowMs)).toMatchObject({
      gateTimeoutSeconds: WEEK,
    });
    const endsAt = new Date(nowMs + 3_600_500).toISOString();
    expect(withGateTimeout({ ...base, endsAt, next: 'hold' as const }, nowMs)).toMatchObject({
      gateTimeoutSeconds: 3601,
    });
    const past = new Date(nowMs - 60_000).toISOString();
    expect(withGateTimeout({ ...base, endsAt: past, next: 'hold' as const }, nowMs)).toMatchObject({
      gateTimeoutSeconds: 1,
    });
    const far = new Date(nowMs + 30 * 86_400_000).toISOString();
    expect(withGateTimeout({ ...base, endsAt: far, next: 'approval' as const }, nowMs)).toMatchObject({
      gateTimeoutSeconds: WEEK,
    });
    expect(withGateTimeout({ ...base, endsAt, next: 'poll' as const }, nowMs)).not.toHaveProperty(
      'gateTimeoutSeconds',
    );
  });

  it('StartRelease carries the end time, and a hold still PAUSED at it ends the release by its end behaviour', async () => {
    const deps = fakeWorkflow();
    deps.store.seed({
      releaseId: 'r1',
      jobTemplateId: 'fw-2-0',
      schedulingConfig: { endTime: '2026-01-01T03:00', endBehavior: 'CANCEL' },
      waves: [{ targets: { things: ['a'] } }],
    });
    const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
    expect(started.endsAt).toBe('2026-01-01T03:00:00.000Z');
    await deps.store.requestPause('r1', { at: NOW, actor: 'alice' });
    const prepared = await prepareWave(deps, { state: started, now: NOW });
    expect(withGateTimeout(prepared, nowMs)).toMatchObject({ next: 'hold', gateTimeoutSeconds: 3 * 3600 });
    await holdRelease(deps, { state: prepared, now: NOW, taskToken: 'hold-1' });
    // Before the end a timed-out hold is held again; at the end the release ends.
    const early = await continueRelease(deps, { state: prepared, now: '2026-01-01T02:59:59.000Z' });
    expect(early.next).toBe('hold');
    const out = await continueRelease(deps, { state: prepared, now: '2026-01-01T03:00:00.000Z' });
    expect(out.next).toBe('canceled');
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'CANCELED',
      statusActor: 'fleetwave',
      endedAtEndTime: 'CANCEL',
    });
  });
});
