/**
 * Waves woken by IoT job events (`lib/workflow/job-event.ts`): a wave sleeps
 * in WaitForProgress until its job's events wake it; the sleep's timeout is
 * the safety net. Events come at least once and in no fixed order, and may
 * be lost: duplicates wake a wave once, stale events move no counter back,
 * and a wave whose events are all lost still finishes at a safety-net look.
 */
import { DescribeJobCommand } from '@aws-sdk/client-iot';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/triggers/iot-job-events.js';
import type { WaveState } from '../../../lib/domain/release.js';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import type { JobEventOutcome } from '../../../lib/workflow/job-event.js';
import { safetyNetSecondsFor } from '../../../lib/workflow/wave-wake-timing.js';
import { fixedProfile } from '../../support/fleet.js';
import { historyOf } from '../../support/stepfunctions.js';
import {
  runUntilClosed,
  startRelease,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

const RUN_SECONDS = 600;
const TIMEOUT_MINUTES = 240;

/** Wakes (SendTaskSuccess) and safety-net timeouts of the `.waitForTaskToken` sleeps of an execution. */
function sleepEndings(history: readonly HistoryEvent[]): { woken: number; timedOut: number } {
  const sleeps = (e: HistoryEvent, details: { resource?: string } | undefined) =>
    details?.resource === 'invoke.waitForTaskToken' && e !== undefined;
  return {
    woken: history.filter((e) => e.type === 'TaskSucceeded' && sleeps(e, e.taskSucceededEventDetails)).length,
    timedOut: history.filter((e) => e.type === 'TaskTimedOut' && sleeps(e, e.taskTimedOutEventDetails))
      .length,
  };
}

describe('release workflow: waves woken by IoT job events', () => {
  const env = useWorkflowStack({
    fleet: { size: 12, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: RUN_SECONDS }),
  });
  afterEach(() => {
    env().stack.jobEvents.drop = undefined;
  });

  /** Runs a one-wave release to its end; returns its wave, its job and its execution history. */
  async function runRelease({ stack, clients }: WorkflowStack, releaseId: string) {
    const { executionArn } = await startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ targets: { thingGroups: ['fleet'] }, timeoutMinutes: TIMEOUT_MINUTES }],
    });
    const done = await runUntilClosed(stack, clients, executionArn);
    const wave = await clients.repository.getWave(releaseId, 1);
    const job = await clients.iot.send(new DescribeJobCommand({ jobId: waveJobId(releaseId, 1) }));
    return { done, wave, job: job.job, history: await historyOf(clients.sfn, executionArn) };
  }

  /**
   * Plays the delivery of the wave's `completed` event: the original is taken off the
   * route and `deliver` hands it (or what it makes of it) to the function instead. The
   * clock is held meanwhile, as the route holds it for a delivery.
   */
  function onCompleted(
    stack: WorkflowStack['stack'],
    jobId: string,
    deliver: (event: Record<string, unknown>) => Promise<JobEventOutcome[]>,
  ): () => Promise<JobEventOutcome[]> {
    let delivered: Promise<JobEventOutcome[]> | undefined;
    stack.jobEvents.drop = (topic, payload) => {
      if (topic !== `$aws/events/job/${jobId}/completed`) return false;
      const release = stack.clock.hold();
      delivered = deliver({ ...payload, topic }).finally(release);
      return true;
    };
    return () => delivered ?? Promise.reject(new Error(`no completed event for ${jobId}`));
  }

  it('wakes the sleeping wave the instant its job completes, before the next safety-net look', async () => {
    const ran = await runRelease(env(), 'events-1');
    expect(ran.done.status).toBe('SUCCEEDED');
    expect(ran.wave.status).toBe('SUCCEEDED');
    expect(Date.parse(ran.wave.finishedAt ?? '')).toBe(ran.job?.completedAt?.getTime());
    // The first safety-net look (5 min) came before the job completed; the completion woke the wave.
    expect(sleepEndings(ran.history)).toEqual({ woken: 1, timedOut: 1 });
  });

  it('wakes the wave exactly once when its completed event arrives three times at once', async () => {
    const { stack } = env();
    const outcomes = onCompleted(stack, waveJobId('events-dup', 1), (event) =>
      Promise.all([handler(event), handler(event), handler(event)]),
    );
    const ran = await runRelease(env(), 'events-dup');
    const handled = await outcomes();
    expect(ran.done.status).toBe('SUCCEEDED');
    expect(handled.filter((o) => o.outcome === 'handled' && o.woken)).toHaveLength(1);
    expect(handled.filter((o) => o.outcome === 'handled' && o.recorded)).toHaveLength(1);
    expect(sleepEndings(ran.history)).toEqual({ woken: 1, timedOut: 1 });
    expect(ran.wave.counts?.numberOfSucceededThings).toBe(12);
  });

  it('never moves a counter back for a stale event delivered after a newer one', async () => {
    const { stack, clients } = env();
    const jobId = waveJobId('events-order', 1);
    const seen: (WaveState['counts'] | undefined)[] = [];
    const outcomes = onCompleted(stack, jobId, async (event) => {
      const details = event.jobProcessDetails as Record<string, number>;
      const stale = {
        ...event,
        timestamp: (event.timestamp as number) - 60,
        lastUpdatedAt: (event.lastUpdatedAt as number) - 60_000,
        jobProcessDetails: { ...details, numberOfSucceededThings: 5 },
      };
      const staleFailure = {
        eventType: 'JOB_EXECUTION',
        operation: 'failed',
        jobId,
        status: 'FAILED',
        thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/fleet-0001',
        timestamp: (event.timestamp as number) - 120,
        topic: `$aws/events/jobExecution/${jobId}/failed`,
      };
      const results: JobEventOutcome[] = [];
      for (const next of [event, stale, staleFailure]) {
        results.push(await handler(next));
        seen.push((await clients.repository.getWave('events-order', 1)).counts);
      }
      return results;
    });
    const ran = await runRelease(env(), 'events-order');
    const [newer, older, failure] = await outcomes();
    expect(ran.done.status).toBe('SUCCEEDED');
    expect(newer).toMatchObject({ outcome: 'handled', recorded: true, woken: true });
    expect(older).toMatchObject({ outcome: 'handled', recorded: false });
    expect(failure).not.toMatchObject({ recorded: true });
    for (const counts of seen) expect(counts?.numberOfSucceededThings).toBe(12);
    expect(ran.wave.counts?.numberOfSucceededThings).toBe(12);
    expect(ran.wave.counts?.numberOfFailedThings).toBe(0);
  });

  it('still finishes the wave at a safety-net look when every job event is lost', async () => {
    const { stack } = env();
    const droppedBefore = stack.jobEvents.dropped;
    stack.jobEvents.drop = () => true;
    const ran = await runRelease(env(), 'events-lost');
    expect(ran.done.status).toBe('SUCCEEDED');
    expect(ran.wave.status).toBe('SUCCEEDED');
    expect(stack.jobEvents.dropped).toBeGreaterThan(droppedBefore);
    const { woken, timedOut } = sleepEndings(ran.history);
    expect(woken).toBe(0);
    expect(timedOut).toBeGreaterThanOrEqual(2);
    // Delayed by at most one safety-net interval after the job completed, never stranded.
    const completedAt = ran.job?.completedAt?.getTime() ?? 0;
    const finishedAt = Date.parse(ran.wave.finishedAt ?? '');
    expect(finishedAt).toBeGreaterThan(completedAt);
    const bound =
      safetyNetSecondsFor(
        { startedAt: ran.wave.startedAt ?? '', jobId: ran.wave.jobId },
        new Date(completedAt).toISOString(),
        { timeoutMinutes: TIMEOUT_MINUTES },
      ) * 1000;
    expect(finishedAt - completedAt).toBeLessThanOrEqual(bound);
  });
});
