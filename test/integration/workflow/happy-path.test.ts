/**
 * Scenario 1: a three-wave release where every wave succeeds (a named lab
 * wave that bakes, then 50 % and 100 % of the fleet) ends SUCCEEDED, with
 * one job per wave, the wave records matching IoT's DescribeJob, and the
 * history in order.
 */
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  jobCounts,
  jobIds,
  releaseHistory,
  runUntilClosed,
  startRelease,
  statusTrail,
  useWorkflowStack,
} from '../../support/workflow.js';

describe('release workflow: happy path', () => {
  const env = useWorkflowStack({
    fleet: { size: 40, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }),
  });

  it('rolls three waves out one after the other and ends SUCCEEDED with one job per wave', async () => {
    const { stack, clients } = env();
    const lab = stack.seededFleet?.sampleThingNames.slice(0, 2) ?? [];
    const { releaseId, executionArn } = await startRelease(stack, clients, {
      releaseId: 'happy-1',
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ targets: { things: lab }, bakeTimeMinutes: 30 }, { percentage: 50 }, { percentage: 100 }],
    });

    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('SUCCEEDED');

    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.status).toBe('SUCCEEDED');
    expect(waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(await jobIds(clients)).toEqual([1, 2, 3].map((n) => waveJobId(releaseId, n)));
    for (const wave of waves) {
      expect(wave.counts).toEqual(await jobCounts(clients, waveJobId(releaseId, wave.waveNumber)));
    }
    // The lab wave plus the two cohorts reach the whole fleet (the lab things are in it too).
    const reached = waves.reduce((sum, w) => sum + (w.counts?.numberOfSucceededThings ?? 0), 0);
    expect(reached).toBe(40 + lab.length);
    expect(waves[0]?.expectedThings).toBe(2);

    const history = await releaseHistory(clients, releaseId);
    expect(statusTrail(history)).toEqual([
      'R:PENDING',
      'R:IN_PROGRESS',
      'W1:IN_PROGRESS',
      'W1:BAKING',
      'W1:SUCCEEDED',
      'W2:IN_PROGRESS',
      'W2:SUCCEEDED',
      'W3:IN_PROGRESS',
      'W3:SUCCEEDED',
      'R:SUCCEEDED',
    ]);
    const times = history.map((e) => e.at);
    expect(times).toEqual([...times].sort());
    // The bake lasted its 30 minutes of virtual time.
    const baking = history.find((e) => e.type === 'WAVE_STATUS_CHANGED' && e.to === 'BAKING');
    const baked = history.find(
      (e) => e.type === 'WAVE_STATUS_CHANGED' && e.waveNumber === 1 && e.to === 'SUCCEEDED',
    );
    expect(Date.parse(baked?.at ?? '') - Date.parse(baking?.at ?? '')).toBe(30 * 60_000);

    // Every step announced itself on EventBridge, in order, with the release's ids.
    const events = stack.eventBridge.recorded({ source: 'fleetwave' }).map((r) => r.event);
    expect(
      events.map((e) => `${e['detail-type']}${(e.detail as { waveNumber?: number }).waveNumber ?? ''}`),
    ).toEqual([
      'Release Started',
      'Wave Started1',
      'Wave Succeeded1',
      'Wave Started2',
      'Wave Succeeded2',
      'Wave Started3',
      'Wave Succeeded3',
      'Release Succeeded',
    ]);
    expect(events.at(-1)?.detail).toMatchObject({ releaseId, releaseStatus: 'SUCCEEDED', waveCount: 3 });
  });
});
