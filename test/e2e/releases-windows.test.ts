/**
 * A scheduled release through nightly maintenance windows, end to end on
 * the local stack, across several virtual days: it waits SCHEDULED for its
 * start, each wave's devices are notified only while a window is open (at
 * the rollout rate), a wave whose rollout outlasts one window shows that it
 * waits for the next one and carries on there, nothing looks at a wave
 * while its window is closed, and the release ends SUCCEEDED with every
 * thing updated once.
 */
import { type JobExecutionSummaryForJob, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { windowSchedule } from '../../lib/domain/maintenance-windows.js';
import { formatScheduleTime } from '../../lib/domain/schedule-time.js';
import { fixedProfile } from '../support/fleet.js';
import { historyOf } from '../support/stepfunctions.js';
import { jobIds, type StackClients, useWorkflowStack } from '../support/workflow.js';
import { createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Devices start 5 s after they are notified and succeed a minute later. */
const START_SECONDS = 5;

/** Nightly, 02:00-02:30 UTC. */
const windows = [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 30 }];
const schedule = windowSchedule(windows);

async function executionsOf(clients: StackClients, jobId: string): Promise<JobExecutionSummaryForJob[]> {
  const out: JobExecutionSummaryForJob[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.iot.send(
      new ListJobExecutionsForJobCommand({ jobId, maxResults: 100, nextToken }),
    );
    out.push(...(page.executionSummaries ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** The UTC days (YYYY-MM-DD) on which a job's devices were notified. */
function notificationDays(executions: readonly JobExecutionSummaryForJob[]): string[] {
  return [
    ...new Set(
      executions
        .map((e) => new Date((e.jobExecutionSummary?.startedAt?.getTime() ?? 0) - START_SECONDS * SECOND))
        .map((d) => d.toISOString().slice(0, 10)),
    ),
  ].sort();
}

describe('a scheduled release through maintenance windows, over several virtual days', () => {
  const env = useWorkflowStack({
    fleet: { size: 80, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: START_SECONDS, runSeconds: 60 }),
  });

  it('notifies devices only inside its windows, at the rollout rate, waits for the next window, and succeeds', async () => {
    const { stack, clients } = env();
    const createdAt = stack.clock.now();
    const startMs = Math.ceil((createdAt + HOUR) / MINUTE) * MINUTE;
    // 40 things a wave at one a minute: each wave's rollout needs two 30-minute windows.
    const slow = { jobExecutionsRolloutConfig: { maximumPerMinute: 1 } };
    const releaseId = await createReleaseOk(
      stack,
      releaseRequest({
        releaseId: 'nightly',
        schedulingConfig: { startTime: formatScheduleTime(startMs), maintenanceWindows: windows },
        waves: [
          { percentage: 50, ...slow },
          { percentage: 100, ...slow },
        ],
      }),
    );

    const scheduled = await runUntilApi(
      stack,
      releaseId,
      (v) => v.release.status === 'SCHEDULED',
      'SCHEDULED',
    );
    expect(scheduled.waves.map((w: { status: string }) => w.status)).toEqual(['PENDING', 'PENDING']);

    // After the first night's window, wave 1 is not done: it waits for the next window, not stalled.
    const waiting = await runUntilApi(
      stack,
      releaseId,
      (v) => v.waves[0].status === 'IN_PROGRESS' && v.waves[0].window?.open === false,
      'wave 1 waiting for its window',
    );
    const opensAt = Date.parse(waiting.waves[0].window.opensAt);
    expect(schedule.stateAt(opensAt)).toMatchObject({ open: true });
    expect(schedule.stateAt(stack.clock.now())).toMatchObject({ open: false, opensAt });
    expect(waiting.release.status).toBe('IN_PROGRESS');

    const done = await runUntilApi(
      stack,
      releaseId,
      (v) => ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(v.release.status),
      'the release ended',
    );
    expect(done.release.status).toBe('SUCCEEDED');
    // Wave 1 on the nights of 1 and 2 January, wave 2 from where wave 1 ended to the night of the 3rd.
    expect(stack.clock.now() - createdAt).toBeGreaterThan(2 * DAY);

    const jobs = (await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`)).sort();
    expect(jobs).toEqual([`${releaseId}-w01`, `${releaseId}-w02`]);
    const things: string[] = [];
    for (const jobId of jobs) {
      const executions = await executionsOf(clients, jobId);
      // About half the fleet each: cohorts are drawn by hash.
      expect(executions.length).toBeGreaterThan(30);
      for (const e of executions) {
        things.push(e.thingArn ?? '');
        expect(e.jobExecutionSummary?.status).toBe('SUCCEEDED');
        // Notified (5 s before it started) inside a window.
        const notifiedAt = (e.jobExecutionSummary?.startedAt?.getTime() ?? 0) - START_SECONDS * SECOND;
        expect(
          schedule.stateAt(notifiedAt).open,
          `${jobId} ${e.thingArn} at ${new Date(notifiedAt).toISOString()}`,
        ).toBe(true);
      }
      // One a minute over a 30-minute window: each wave's 40 things take two nights.
      expect(notificationDays(executions)).toHaveLength(2);
      const perMinute = new Map<number, number>();
      for (const e of executions) {
        const minute = Math.floor(
          ((e.jobExecutionSummary?.startedAt?.getTime() ?? 0) - START_SECONDS * SECOND) / MINUTE,
        );
        perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
      }
      expect(Math.max(...perMinute.values())).toBe(1);
    }
    // Every thing of the fleet group once.
    expect(new Set(things).size).toBe(things.length);
    expect(things.length).toBe(80);
    expect(
      done.waves
        .map((w: { expectedThings: number }) => w.expectedThings)
        .reduce((a: number, b: number) => a + b),
    ).toBe(80);

    // Event-driven: no look at a wave while its window was closed, beyond the one at its closing.
    const executionArn = done.release.executionArn as string;
    const looks = (await historyOf(clients.sfn, executionArn))
      .filter((e) => e.stateEnteredEventDetails?.name === 'CheckWave')
      .map((e) => (e.timestamp as Date).getTime());
    // The history is stamped on the virtual clock: the looks fall within the release's virtual days.
    expect(looks.length).toBeGreaterThan(0);
    expect(looks.every((at) => at >= createdAt && at <= stack.clock.now())).toBe(true);
    const closedLooks = looks.filter((at) => {
      const state = schedule.stateAt(at);
      if (state.open) return false;
      const closedAt = at - ((at - Date.UTC(2026, 0, 1, 2, 30)) % DAY);
      return at - closedAt > 2 * MINUTE;
    });
    expect(closedLooks.map((at) => new Date(at).toISOString())).toEqual([]);
  }, 300_000);
});
