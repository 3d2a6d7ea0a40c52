/**
 * A release canceled through the API (its status CANCELED in the table,
 * as the API writes it) while a wave runs: the workflow stops cleanly at
 * its next step. The status and its reason stay as the API wrote them, the
 * running wave is CANCELED with its job, no later job is created, and the
 * execution ends without failing.
 */
import { DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  jobIds,
  runUntilClosed,
  runUntilRead,
  startRelease,
  useWorkflowStack,
} from '../../support/workflow.js';

describe('release workflow: canceled through the API', () => {
  const env = useWorkflowStack({
    fleet: { size: 20, canaryShare: 0 },
    // Long enough that the wave's next look (its safety net, 20 min in) finds the job still running.
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 3600 }),
  });

  it('stops at the next step without overwriting CANCELED: wave and job canceled, no later job', async () => {
    const { stack, clients } = env();
    const { releaseId, executionArn } = await startRelease(stack, clients, {
      releaseId: 'cancel-1',
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ percentage: 50 }, { percentage: 100 }],
    });
    await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => (wave.counts?.numberOfInProgressThings ?? 0) > 0,
      'wave 1 running',
    );

    await clients.repository.transitionRelease(releaseId, {
      to: 'CANCELED',
      reason: 'Canceled by alice: rollback',
    });
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('SUCCEEDED');

    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release).toMatchObject({ status: 'CANCELED', statusReason: 'Canceled by alice: rollback' });
    expect(waves.map((w) => w.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(waves[0]?.reason).toBe('Release canceled: Canceled by alice: rollback');
    const job = await clients.iot.send(new DescribeJobCommand({ jobId: waveJobId(releaseId, 1) }));
    expect(job.job).toMatchObject({ status: 'CANCELED', reasonCode: 'FLEETWAVE_RELEASE_CANCELED' });
    expect(await jobIds(clients)).toEqual([waveJobId(releaseId, 1)]);
  });
});
