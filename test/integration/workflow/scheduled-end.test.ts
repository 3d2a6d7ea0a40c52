/**
 * A release still running at its `schedulingConfig.endTime` ends there by
 * its end behaviour: it wakes at the end time (its wave's sleep is cut to
 * it), starts no further wave, and ends CANCELED by fleetwave with a reason
 * naming the end time and the behaviour, the usual Release Canceled event
 * and no rollback. CANCEL and FORCE_CANCEL cancel the running wave's job
 * (FORCE_CANCEL its running devices too); STOP_ROLLOUT leaves the job to
 * IoT and judges the wave on what ran.
 */
import { DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import type { JobEndBehavior } from '../../../lib/domain/iot-job-settings.js';
import { formatScheduleTime } from '../../../lib/domain/schedule-time.js';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  jobIds,
  notificationTrail,
  runUntilClosed,
  startRelease,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('release workflow: the end time', () => {
  const env = useWorkflowStack({
    fleet: { size: 6, canaryShare: 0 },
    // The first sample thing succeeds at once; every other one starts and never finishes.
    profiles: fixedProfile({ outcomes: { hang: 1 }, startSeconds: 2 }, [
      { name: 'quick', match: { thingNameRegex: '-0*0$' }, outcomes: { hang: 0 } },
    ]),
  });

  /** A two-wave release ending three hours after now (to the minute), by `endBehavior`. */
  async function startEnding(
    { stack, clients }: WorkflowStack,
    releaseId: string,
    endBehavior?: JobEndBehavior,
  ) {
    const things = stack.seededFleet?.sampleThingNames ?? [];
    const endMs = Math.ceil((stack.clock.now() + 3 * HOUR) / MINUTE) * MINUTE;
    const endTime = formatScheduleTime(endMs);
    const started = await startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      schedulingConfig: { endTime, ...(endBehavior && { endBehavior }) },
      waves: [{ targets: { things: things.slice(0, 2) } }, { targets: { things: things.slice(2, 4) } }],
      onFailure: { rollback: { jobTemplateId: 'fw-2-0' } },
    });
    const done = await runUntilClosed(stack, clients, started.executionArn, 2 * 24 * HOUR);
    const job = await clients.iot.send(new DescribeJobCommand({ jobId: waveJobId(releaseId, 1) }));
    return {
      ...started,
      endMs,
      endTime,
      done,
      job: job.job,
      ...(await clients.repository.getRelease(releaseId)),
    };
  }

  const behaviourText = {
    STOP_ROLLOUT:
      'no further wave starts and the running wave notifies no more devices; devices already notified finish',
    CANCEL: "no further wave starts and the running wave's job is canceled; devices already running finish",
    FORCE_CANCEL: "no further wave starts and the running wave's job is canceled, running devices too",
  };

  for (const behavior of ['CANCEL', 'FORCE_CANCEL'] as const) {
    it(`${behavior}: ends CANCELED at the end time, the running wave's job canceled, the next wave never started`, async () => {
      const ws = env();
      const id = `end-${behavior.toLowerCase().replace('_', '-')}`;
      const { release, waves, endMs, endTime, done, job } = await startEnding(ws, id, behavior);

      expect(done.status).toBe('SUCCEEDED');
      expect(release).toMatchObject({
        status: 'CANCELED',
        statusActor: 'fleetwave',
        endedAtEndTime: behavior,
        statusReason: `Ended at its end time ${endTime} UTC (endBehavior ${behavior}): ${behaviourText[behavior]}.`,
      });
      expect(Date.parse(release.updatedAt)).toBe(endMs);
      expect(waves.map((w) => w.status)).toEqual(['CANCELED', 'CANCELED']);
      expect(waves[0]?.reason).toBe(`Stopped at the release's end time (${behavior}): its job canceled.`);
      expect(job?.status).toBe('CANCELED');
      const running = job?.jobProcessDetails?.numberOfInProgressThings ?? 0;
      if (behavior === 'FORCE_CANCEL') expect(running).toBe(0);
      else expect(running).toBe(1);
      expect(notificationTrail(ws.stack, id)).toEqual([
        'Release Started',
        'Wave Started1',
        'Release Canceled',
      ]);
      // A cancel never rolls back.
      expect((await jobIds(ws.clients)).filter((j) => j.startsWith(id))).toEqual([waveJobId(id, 1)]);
    });
  }

  it('STOP_ROLLOUT (the default): leaves the job to IoT and judges the wave on what ran', async () => {
    const ws = env();
    const { release, waves, endTime, done, job } = await startEnding(ws, 'end-stop');

    expect(done.status).toBe('SUCCEEDED');
    expect(release).toMatchObject({
      status: 'CANCELED',
      statusActor: 'fleetwave',
      endedAtEndTime: 'STOP_ROLLOUT',
      statusReason: `Ended at its end time ${endTime} UTC (endBehavior STOP_ROLLOUT): ${behaviourText.STOP_ROLLOUT}.`,
    });
    // One of the wave's two things succeeded: the other, still queued, has not.
    expect(waves.map((w) => w.status)).toEqual(['FAILED', 'CANCELED']);
    expect(waves[0]?.reason).toBe(
      "Stopped at the release's end time (STOP_ROLLOUT): 1 of the wave's 2 things succeeded (1 ran to an outcome; 1 still queued or in progress are left to IoT; things never notified do not count as succeeded) (below the success threshold of 90%).",
    );
    // fleetwave did not cancel it (IoT applies the end behaviour to the job it was given).
    expect(job?.reasonCode).toBeUndefined();
    expect(notificationTrail(ws.stack, 'end-stop')).toEqual([
      'Release Started',
      'Wave Started1',
      'Release Canceled',
    ]);
  });
});
