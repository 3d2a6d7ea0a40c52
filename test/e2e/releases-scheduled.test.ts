/**
 * A scheduled release over HTTP against the local stack: its times are
 * checked against the request's time (a 400 naming the field), it shows
 * SCHEDULED with its start time and is listed as such, it creates no job
 * before its start, then runs to SUCCEEDED.
 */
import { describe, expect, it } from 'vitest';
import { formatScheduleTime } from '../../lib/domain/schedule-time.js';
import { fixedProfile } from '../support/fleet.js';
import { jobIds, useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('releases over HTTP: a scheduled start', () => {
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }),
  });

  it('refuses a start time under 30 minutes ahead of the request, naming the field', async () => {
    const { stack } = env();
    const startTime = formatScheduleTime(stack.clock.now() + 10 * MINUTE);
    const res = await call(stack, 'POST', '/releases', {
      body: releaseRequest({ releaseId: 'too-soon', schedulingConfig: { startTime } }),
    });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([
      { path: 'schedulingConfig.startTime', message: 'must be at least 30 minutes from now' },
    ]);
    expect((await call(stack, 'GET', '/releases/too-soon')).status).toBe(404);
  });

  it('shows SCHEDULED with its start time and no job until then, then runs to SUCCEEDED', async () => {
    const { stack, clients } = env();
    const startMs = Math.ceil((stack.clock.now() + 2 * HOUR) / MINUTE) * MINUTE;
    const schedulingConfig = {
      startTime: formatScheduleTime(startMs),
      maintenanceWindows: [{ startTime: 'cron(0/30 * * * ? *)', durationInMinutes: 30 }],
    };
    const releaseId = await createReleaseOk(
      stack,
      releaseRequest({ releaseId: 'sched-http', schedulingConfig, waves: [{ percentage: 100 }] }),
    );

    const scheduled = await runUntilApi(
      stack,
      releaseId,
      (v) => v.release.status === 'SCHEDULED',
      'SCHEDULED',
    );
    expect(scheduled.release).toMatchObject({
      schedulingConfig,
      statusReason: `Scheduled to start at ${schedulingConfig.startTime} UTC.`,
    });
    expect(scheduled.links).toMatchObject({ cancel: `/releases/${releaseId}/cancel` });
    const listed = await call(stack, 'GET', '/releases?status=SCHEDULED');
    expect(listed.json.items.map((r: { releaseId: string }) => r.releaseId)).toContain(releaseId);
    expect(stack.clock.now()).toBeLessThan(startMs);
    expect((await jobIds(clients)).filter((id) => id.startsWith(releaseId))).toEqual([]);

    const done = await runUntilApi(stack, releaseId, (v) => v.release.status === 'SUCCEEDED', 'SUCCEEDED');
    expect(Date.parse(done.waves[0].startedAt)).toBeGreaterThanOrEqual(startMs);
    // Windows every half hour, each open the whole half hour: the wave saw them open.
    expect(done.waves[0].window).toMatchObject({ open: true });
    expect((await jobIds(clients)).filter((id) => id.startsWith(releaseId))).toEqual([`${releaseId}-w01`]);
  });
});
