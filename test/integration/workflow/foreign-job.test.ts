/**
 * A job with a wave's deterministic id that the wave did not create (other
 * template, other targets) is never adopted, canceled or duplicated: the
 * release fails, naming it.
 */
import { CreateJobCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  createTemplate,
  jobIds,
  runUntilClosed,
  startRelease,
  useWorkflowStack,
} from '../../support/workflow.js';

describe('release workflow: a foreign job with the wave id', () => {
  const env = useWorkflowStack({
    fleet: { size: 6, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 600 }),
  });

  it('fails the release naming the job, and leaves that job running', async () => {
    const { stack, clients } = env();
    const things = stack.seededFleet?.sampleThingNames ?? [];
    const otherTemplate = await createTemplate(clients, 'someone-elses');
    const jobId = waveJobId('taken-1', 1);
    await clients.iot.send(
      new CreateJobCommand({
        jobId,
        jobTemplateArn: otherTemplate,
        targets: [`arn:aws:iot:${stack.region}:${stack.accountId}:thing/${things[0]}`],
      }),
    );

    const { releaseId, executionArn } = await startRelease(stack, clients, {
      releaseId: 'taken-1',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: things.slice(0, 2) } }, { targets: { things: things.slice(2, 4) } }],
    });
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ReleaseFailed' });
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.status).toBe('FAILED');
    expect(release.statusReason).toMatch(
      new RegExp(
        `^The release workflow stopped on ForeignJobError: IoT job ${jobId} already exists and is not wave 1's own`,
      ),
    );
    expect(waves.map((w) => w.status)).toEqual(['FAILED', 'CANCELED']);
    const foreign = await clients.iot.send(new DescribeJobCommand({ jobId }));
    expect(foreign.job?.status).toBe('IN_PROGRESS');
    expect(await jobIds(clients)).toEqual([jobId]);
  });
});
