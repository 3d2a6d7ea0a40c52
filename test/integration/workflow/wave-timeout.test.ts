/**
 * Scenario 7: a wave whose devices hang never finishes; at its
 * `timeoutMinutes` the wave ends TIMED_OUT, its job is canceled, the waves
 * after it are CANCELED and the release is FAILED with the reason.
 */
import { DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  notificationTrail,
  releaseHistory,
  runUntilClosed,
  startRelease,
  useWorkflowStack,
} from '../../support/workflow.js';

describe('release workflow: wave timeout', () => {
  const env = useWorkflowStack({
    fleet: { size: 12, canaryShare: 0 },
    // A third of the devices start the job and never report back.
    profiles: fixedProfile({ outcomes: { hang: 0.34 }, startSeconds: 3, runSeconds: 40 }),
  });

  it('ends the wave TIMED_OUT exactly at its timeout, cancels its job and fails the release', async () => {
    const { stack, clients } = env();
    const { releaseId, executionArn } = await startRelease(stack, clients, {
      releaseId: 'slow-1',
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ percentage: 100, timeoutMinutes: 90 }, { targets: { things: ['nobody-yet'] } }],
    });

    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ReleaseFailed' });
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(waves.map((w) => w.status)).toEqual(['TIMED_OUT', 'CANCELED']);
    const wave = waves[0];
    expect(Date.parse(wave?.finishedAt ?? '') - Date.parse(wave?.startedAt ?? '')).toBe(90 * 60_000);
    expect(wave?.reason).toMatch(
      /^The wave did not finish within 90 minutes: [1-9]\d* of 12 things still queued or in progress\.$/,
    );
    expect(release.status).toBe('FAILED');
    expect(release.statusReason).toBe(`Wave 1 timed out: ${wave?.reason}`);
    expect(notificationTrail(stack, releaseId)).toEqual([
      'Release Started',
      'Wave Started1',
      'Wave Failed1',
      'Release Failed',
    ]);

    const job = await clients.iot.send(new DescribeJobCommand({ jobId: waveJobId(releaseId, 1) }));
    expect(job.job).toMatchObject({ status: 'CANCELED', reasonCode: 'FLEETWAVE_WAVE_TIMED_OUT' });
    // The hung devices are still IN_PROGRESS: CancelJob without force leaves running executions alone.
    expect(job.job?.jobProcessDetails?.numberOfInProgressThings).toBeGreaterThan(0);

    const polls = (await releaseHistory(clients, releaseId)).filter((e) => e.type === 'WAVE_PROGRESS');
    // Adaptive polling: nothing moved for most of the 90 minutes, so few polls changed anything.
    expect(polls.length).toBeLessThan(10);
    expect(stack.sfn.getExecutionStats(executionArn)?.stateTransitions).toBeLessThan(120);
  });
});
