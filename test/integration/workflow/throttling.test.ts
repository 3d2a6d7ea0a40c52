/**
 * Scenario 5: IoT throttles 30 % of every call (fault injection at a rate,
 * seeded), and CreateJob is throttled past the SDK's own retries once. The
 * workflow's Retry absorbs what the SDK does not: the release ends right,
 * with exactly one job per wave.
 */
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import { historyOf } from '../../support/stepfunctions.js';
import { jobCounts, jobIds, runUntilClosed, startRelease, useWorkflowStack } from '../../support/workflow.js';

describe('release workflow: IoT throttling', () => {
  const env = useWorkflowStack({
    fleet: { size: 30, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 90 }),
  });

  it('ends SUCCEEDED with exactly one job per wave while 30 % of IoT calls are throttled', async () => {
    const { stack, clients } = env();
    const things = stack.seededFleet?.sampleThingNames ?? [];
    // Three SDK attempts per call: four throttles in a row reach the workflow as ThrottledError.
    const createJob = stack.iot.faults.add({
      operation: 'CreateJob',
      error: 'ThrottlingException',
      count: 4,
    });
    const everyCall = stack.iot.faults.add({
      operation: '*',
      error: 'ThrottlingException',
      rate: 0.3,
      seed: 7,
    });
    try {
      const { releaseId, executionArn } = await startRelease(stack, clients, {
        releaseId: 'throttled-1',
        jobTemplateId: 'fw-2-0',
        targets: { thingGroups: ['fleet'] },
        waves: [{ targets: { things: things.slice(0, 3) } }, { percentage: 40 }, { percentage: 100 }],
      });
      const done = await runUntilClosed(stack, clients, executionArn);
      const faults = stack.iot.faults.list();
      stack.iot.faults.clear();

      expect(done.status).toBe('SUCCEEDED');
      const { release, waves } = await clients.repository.getRelease(releaseId);
      expect(release.status).toBe('SUCCEEDED');
      expect(await jobIds(clients)).toEqual([1, 2, 3].map((n) => waveJobId(releaseId, n)));
      for (const wave of waves) {
        expect(wave.counts).toEqual(await jobCounts(clients, waveJobId(releaseId, wave.waveNumber)));
      }
      // A count fault is dropped once spent.
      expect(faults.map((f) => f.id)).not.toContain(createJob.id);
      expect(faults.find((f) => f.id === everyCall.id)?.fired).toBeGreaterThan(10);

      const failed = (await historyOf(clients.sfn, executionArn)).filter((e) => e.type === 'TaskFailed');
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed.map((e) => e.taskFailedEventDetails?.error))).toEqual(
        new Set(['ThrottledError']),
      );
    } finally {
      stack.iot.faults.clear();
    }
  });
});
