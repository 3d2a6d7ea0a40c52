/**
 * Scenario 2: the second wave reaches the `canary-bad` cohort, whose devices
 * fail 40 % of the time, with a failure threshold of 10 %: its job is
 * canceled, the release is FAILED with the reason, and the third wave's job
 * is never created.
 */
import { DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { waveDefinitionSchema } from '../../../lib/domain/release-request.js';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import {
  jobIds,
  notificationTrail,
  releaseHistory,
  runUntilClosed,
  startRelease,
  statusTrail,
  useWorkflowStack,
} from '../../support/workflow.js';

type WaveDefinitionInput = z.input<typeof waveDefinitionSchema>;

const latency = (medianSeconds: number) => ({ medianSeconds, spread: 0.5 });

describe('release workflow: abort on the failure threshold', () => {
  const env = useWorkflowStack({
    fleet: { size: 60, canaryShare: 0.25 },
    profiles: {
      default: { outcomes: {}, startLatency: latency(10), runLatency: latency(120) },
      overrides: [{ name: 'bad canaries', match: { thingGroup: 'canary-bad' }, outcomes: { fail: 0.4 } }],
    },
  });

  /** Runs the three-wave release whose wave 2 is the bad cohort; returns what the test checks. */
  async function runAbortingRelease(releaseId: string, wave2: Omit<WaveDefinitionInput, 'targets'>) {
    const { stack, clients } = env();
    const good = stack.seededFleet?.sampleThingNames.slice(0, 3) ?? [];
    const { executionArn } = await startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [
        { targets: { things: good } },
        { targets: { thingGroups: ['canary-bad'] }, failureThresholdPercent: 10, ...wave2 },
        { percentage: 100 },
      ],
    });
    const done = await runUntilClosed(stack, clients, executionArn);
    const loaded = await clients.repository.getRelease(releaseId);
    const job = await clients.iot.send(new DescribeJobCommand({ jobId: waveJobId(releaseId, 2) }));
    const jobs = (await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`));
    return {
      done,
      ...loaded,
      job: job.job,
      jobs,
      trail: statusTrail(await releaseHistory(clients, releaseId)),
      events: notificationTrail(stack, releaseId),
    };
  }

  const expectedTrail = [
    'R:PENDING',
    'R:IN_PROGRESS',
    'W1:IN_PROGRESS',
    'W1:SUCCEEDED',
    'W2:IN_PROGRESS',
    'W2:FAILED',
    'W3:CANCELED',
    'R:FAILED',
  ];

  const expectedEvents = [
    'Release Started',
    'Wave Started1',
    'Wave Succeeded1',
    'Wave Started2',
    'Wave Failed2',
    'Release Failed',
  ];

  it("fleetwave's threshold (10 % of the wave) cancels wave 2's job, fails the release and never creates wave 3's", async () => {
    // IoT's own abort is set loose (50 % of 10 executed), so fleetwave's evaluation decides.
    const ran = await runAbortingRelease('abort-own', {
      minExecutedThings: 1,
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 10 },
        ],
      },
    });
    expect(ran.done).toMatchObject({ status: 'FAILED', error: 'ReleaseFailed' });
    expect(ran.release.status).toBe('FAILED');
    expect(ran.release.statusReason).toMatch(
      /^Wave 2 failed: [2-9] of 15 things failed, rejected or timed out \(\d+(\.\d+)?%\), reaching the failure threshold of 10%\.$/,
    );
    expect(ran.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'FAILED', 'CANCELED']);
    expect(ran.job?.status).toBe('CANCELED');
    expect(ran.job?.reasonCode).toBe('FLEETWAVE_WAVE_FAILED');
    expect(ran.jobs).toEqual([waveJobId('abort-own', 1), waveJobId('abort-own', 2)]);
    expect(ran.trail).toEqual(expectedTrail);
    expect(ran.events).toEqual(expectedEvents);
  });

  it("IoT's abort criteria (10 % of executions completed) cancel wave 2's job first: the release fails on IoT's basis", async () => {
    const ran = await runAbortingRelease('abort-iot', { minExecutedThings: 1 });
    expect(ran.done).toMatchObject({ status: 'FAILED', error: 'ReleaseFailed' });
    expect(ran.release.statusReason).toMatch(
      /^Wave 2 failed: IoT's abort criteria canceled the job: IoT cancels it once 10% of the things executed so far failed, rejected or timed out, judged as soon as 1 thing had executed, whatever the wave's size\. [1-9]\d* of the [1-9]\d* things executed had failed, rejected or timed out \(\d+(\.\d+)?%\); \d+ of the wave's 15 things never ran\. IoT's note: ABORT_CRITERIA_MET: Job aborted: /,
    );
    expect(ran.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'FAILED', 'CANCELED']);
    expect(ran.job?.status).toBe('CANCELED');
    expect(ran.job?.reasonCode).toBe('ABORT_CRITERIA_MET');
    expect(ran.jobs).toEqual([waveJobId('abort-iot', 1), waveJobId('abort-iot', 2)]);
    expect(ran.trail).toEqual(expectedTrail);
    expect(ran.events).toEqual(expectedEvents);
  });
});
