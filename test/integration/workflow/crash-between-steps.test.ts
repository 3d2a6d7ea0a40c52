/**
 * Scenario 6: StartWave dies between CreateJob and the DynamoDB write that
 * records the job (a fault on the table, armed the moment IoT creates the
 * job). Step Functions retries the task: CreateJob meets the existing job,
 * recognises it as the wave's own and adopts it. Exactly one job per wave,
 * and the record catches up.
 */
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import { historyOf } from '../../support/stepfunctions.js';
import {
  jobCounts,
  jobIds,
  releaseHistory,
  runUntilClosed,
  runUntilRead,
  startRelease,
  useWorkflowStack,
} from '../../support/workflow.js';

describe('release workflow: a crash between steps', () => {
  const env = useWorkflowStack({
    fleet: { size: 16, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }),
  });

  it('adopts the job created before the crash: exactly one job per wave, and the record catches up', async () => {
    const { stack, clients } = env();
    const releaseId = 'crash-1';
    const crashedJob = waveJobId(releaseId, 2);
    const faults = stack.workflow.dynamoDbFaults;
    let fault: number | undefined;
    const unsubscribe = stack.iot.jobs.subscribe({
      jobCreated: (job) => {
        // Every table write fails from the moment wave 2's job exists, until the test clears it.
        if (job.jobId === crashedJob) fault = faults.add({ operation: 'PutItem' });
      },
    });
    // A fault that never fires counts the CreateJob calls.
    const createJobCalls = stack.iot.faults.add({
      operation: 'CreateJob',
      error: 'ThrottlingException',
      rate: 0,
    });
    try {
      const { executionArn } = await startRelease(stack, clients, {
        releaseId,
        jobTemplateId: 'fw-2-0',
        targets: { thingGroups: ['fleet'] },
        waves: [{ percentage: 25 }, { percentage: 60 }, { percentage: 100 }],
      });
      await runUntilRead(
        stack,
        async () => (fault === undefined ? 0 : faults.fired(fault)),
        (fired) => fired > 0,
        "the write after wave 2's CreateJob to fail",
      );

      // Crashed: IoT has the job, the wave's record does not know it exists yet.
      expect(await jobIds(clients)).toEqual([waveJobId(releaseId, 1), crashedJob]);
      const before = await clients.repository.getWave(releaseId, 2);
      expect(before).toMatchObject({ status: 'IN_PROGRESS', jobId: crashedJob });
      expect(before.jobStatus).toBeUndefined();
      expect(before.counts).toBeUndefined();

      faults.clear();
      const done = await runUntilClosed(stack, clients, executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect(await jobIds(clients)).toEqual([1, 2, 3].map((n) => waveJobId(releaseId, n)));
      const { waves } = await clients.repository.getRelease(releaseId);
      expect(waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      expect(waves[1]?.counts).toEqual(await jobCounts(clients, crashedJob));
      const history = await releaseHistory(clients, releaseId);
      const wave2Starts = history.filter(
        (e) => e.type === 'WAVE_STATUS_CHANGED' && e.waveNumber === 2 && e.to === 'IN_PROGRESS',
      );
      expect(wave2Starts).toHaveLength(1);

      // The task failed once on the table write and was retried by the state machine.
      const failures = (await historyOf(clients.sfn, executionArn)).filter((e) => e.type === 'TaskFailed');
      expect(failures.map((e) => e.taskFailedEventDetails?.error)).toEqual(['UpstreamError']);
      // Four CreateJob calls for three jobs: the retry's call met its own job and adopted it.
      expect(stack.iot.faults.list().find((f) => f.id === createJobCalls.id)?.matched).toBe(4);
    } finally {
      unsubscribe();
      faults.clear();
      stack.iot.faults.clear();
    }
  });
});
