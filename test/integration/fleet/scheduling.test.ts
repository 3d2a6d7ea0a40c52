/**
 * The fleet simulator under a job's `schedulingConfig`, through the local
 * IoT endpoint and the SDK, on a manual virtual clock that starts at
 * 2026-01-01T00:00Z: a job is SCHEDULED until its start, devices are
 * notified only inside a maintenance window and at the job's rollout rate,
 * and at the end time the end behaviour applies.
 */
import {
  CancelJobCommand,
  CancelJobExecutionCommand,
  CreateJobCommand,
  type CreateJobCommandInput,
  CreateJobTemplateCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  DescribeJobTemplateCommand,
  ListJobsCommand,
} from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedProfile, maxInAnyWindow, minute, second } from '../../support/fleet.js';
import {
  describeJob,
  type FleetEndpoint,
  groupArn,
  seedThings,
  startFleetEndpoint,
} from './fleet-endpoint.js';

const hour = 60 * minute;
const day = 24 * hour;
/** The endpoint's clock starts here. */
const t0 = Date.UTC(2026, 0, 1);
/** 02:00–03:00 UTC every day. */
const nightly = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 };

let ep: FleetEndpoint;
afterEach(async () => ep.close());

async function start(count: number, runSeconds = 10): Promise<string> {
  ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds }) });
  seedThings(ep, 'fleet', count);
  return groupArn(ep, 'fleet');
}

async function createJob(input: Omit<CreateJobCommandInput, 'targets'>, group: string): Promise<void> {
  await ep.iot.send(new CreateJobCommand({ document: '{}', ...input, targets: [group] }));
}

const notifiedTimes = () => ep.events.filter((e) => e.type === 'notified').map((e) => e.at);

/** Job topics published from now on. */
function jobTopics(): string[] {
  const topics: string[] = [];
  ep.emulator.events.subscribeTopics((topic) => {
    if (topic.startsWith('$aws/events/job/')) topics.push(topic);
  });
  return topics;
}

describe('a scheduled job on the fleet simulator', () => {
  it('SCHEDULED until its startTime: listed as SCHEDULED, nobody notified, one timer pending; then IN_PROGRESS and done', async () => {
    const group = await start(20);
    await createJob({ jobId: 'later', schedulingConfig: { startTime: '2026-01-01T01:00' } }, group);
    expect((await describeJob(ep, 'later')).status).toBe('SCHEDULED');
    const listed = await ep.iot.send(new ListJobsCommand({ status: 'SCHEDULED' }));
    expect(listed.jobs?.map((j) => j.jobId)).toEqual(['later']);

    await ep.clock.advance(hour - second);
    expect(notifiedTimes()).toEqual([]);
    expect((await describeJob(ep, 'later')).status).toBe('SCHEDULED');
    // Waiting costs the start timer and nothing else: no tick every second.
    expect(ep.clock.pending).toBe(1);

    await ep.clock.advance(second);
    expect((await describeJob(ep, 'later')).status).toBe('IN_PROGRESS');
    await ep.clock.advance(5 * minute);
    const { status, details } = await describeJob(ep, 'later');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfSucceededThings).toBe(20);
    expect(Math.min(...notifiedTimes())).toBe(t0 + hour);
  });

  it('maintenance windows: no notification outside 02:00–03:00, two per minute inside, over three nights, one wake-up per closed stretch', async () => {
    const group = await start(300);
    await createJob(
      {
        jobId: 'nightly',
        jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
        schedulingConfig: { maintenanceWindows: [nightly] },
      },
      group,
    );
    // No start time, but no window open yet: SCHEDULED until the first one.
    expect((await describeJob(ep, 'nightly')).status).toBe('SCHEDULED');
    await ep.clock.advance(3 * hour + 30 * minute);
    expect((await describeJob(ep, 'nightly')).status).toBe('IN_PROGRESS');
    // Between windows with things still waiting: one timer, the tick at the next opening.
    expect(ep.clock.pending).toBe(1);

    await ep.clock.advance(3 * day);
    const notified = notifiedTimes();
    expect(notified).toHaveLength(300);
    for (const at of notified) expect(new Date(at).getUTCHours()).toBe(2);
    const perNight = [0, 1, 2].map((d) => notified.filter((at) => Math.floor((at - t0) / day) === d).length);
    expect(perNight).toEqual([120, 120, 60]);
    expect(maxInAnyWindow(notified)).toBeLessThanOrEqual(2);
    const { status, details } = await describeJob(ep, 'nightly');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfSucceededThings).toBe(300);
  });

  it('the rate inside a window: 100 per minute at most, about 1,000 in a ten-minute window, the rest the next night', async () => {
    const group = await start(1500);
    await createJob(
      {
        jobId: 'rate',
        jobExecutionsRolloutConfig: { maximumPerMinute: 100 },
        schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 1 * * ? *)', durationInMinutes: 10 }] },
      },
      group,
    );
    await ep.clock.advance(2 * day);
    const notified = notifiedTimes();
    expect(notified).toHaveLength(1500);
    expect(maxInAnyWindow(notified)).toBe(100);
    const first = notified.filter((at) => at < t0 + day);
    for (const at of first) expect(at - t0).toBeGreaterThanOrEqual(hour);
    for (const at of first) expect(at - t0).toBeLessThan(hour + 10 * minute);
    expect(first.length).toBeGreaterThanOrEqual(990);
    expect(first.length).toBeLessThanOrEqual(1000);
  });

  it('an exponential ramp goes on across windows: the next window starts at the rate the last one reached', async () => {
    const group = await start(600);
    await createJob(
      {
        jobId: 'ramp',
        jobExecutionsRolloutConfig: {
          exponentialRate: {
            baseRatePerMinute: 10,
            incrementFactor: 2,
            rateIncreaseCriteria: { numberOfNotifiedThings: 50 },
          },
        },
        schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 1 * * ? *)', durationInMinutes: 10 }] },
      },
      group,
    );
    await ep.clock.advance(hour + 10 * minute);
    const rateAtClose = ep.fleet.simulator.jobStats('ramp')!.ratePerMinute;
    const firstNight = notifiedTimes().length;
    expect(rateAtClose).toBeGreaterThan(10);
    // To the last second before the next night's window.
    await ep.clock.advance(day - 10 * minute - second);
    expect(notifiedTimes()).toHaveLength(firstNight);
    // The ramp counted what the first night notified: it does not start again from the base.
    expect(ep.fleet.simulator.jobStats('ramp')!.ratePerMinute).toBe(rateAtClose);
    await ep.clock.advance(second);
    // Its first second already notifies more than the base rate would in a whole minute (paced: a second's share, plus one).
    const firstSecond = notifiedTimes().length - firstNight;
    expect(firstSecond).toBeGreaterThan(10);
    expect(firstSecond).toBeLessThanOrEqual(Math.floor(rateAtClose / 60) + 1);
  });

  it('a window already open at CreateJob: IN_PROGRESS at once; a cron that never fires: SCHEDULED, one look again at the horizon, nothing hangs', async () => {
    const group = await start(30);
    await createJob(
      {
        jobId: 'always',
        // Every minute for one minute: spans that touch, open for good.
        schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(* * * * ? *)', durationInMinutes: 1 }] },
      },
      group,
    );
    await createJob(
      {
        jobId: 'never',
        schedulingConfig: {
          maintenanceWindows: [{ startTime: 'cron(0 0 1 1 ? 2020)', durationInMinutes: 30 }],
        },
      },
      group,
    );
    expect((await describeJob(ep, 'always')).status).toBe('IN_PROGRESS');
    await ep.clock.advance(5 * minute);
    expect((await describeJob(ep, 'always')).status).toBe('COMPLETED');
    const never = await ep.iot.send(new DescribeJobCommand({ jobId: 'never' }));
    expect(never.job?.status).toBe('SCHEDULED');
    expect(never.job?.scheduledJobRollouts).toEqual([]);
    // No opening within two years: one timer to look again then, not none (nor one per second).
    expect(ep.clock.pending).toBe(1);
  });

  it('a first opening beyond the two-year horizon: SCHEDULED with a look again at the horizon, then IN_PROGRESS at the opening', async () => {
    const group = await start(3);
    const opening = Date.UTC(2029, 0, 1, 2);
    await createJob(
      {
        jobId: 'far',
        schedulingConfig: {
          maintenanceWindows: [{ startTime: 'cron(0 2 1 1 ? 2029)', durationInMinutes: 60 }],
        },
      },
      group,
    );
    expect((await describeJob(ep, 'far')).status).toBe('SCHEDULED');
    expect(ep.clock.pending).toBe(1);
    await ep.clock.advance(2 * 366 * day);
    // At the horizon the opening is in reach: the look again sets the start timer.
    expect((await describeJob(ep, 'far')).status).toBe('SCHEDULED');
    expect(ep.clock.pending).toBe(1);
    await ep.clock.setTime(opening + 5 * minute);
    const { status, details } = await describeJob(ep, 'far');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfSucceededThings).toBe(3);
    expect(Math.min(...notifiedTimes())).toBe(opening);
  });

  it('a rollout whose next opening is beyond the horizon: IN_PROGRESS with a wake-up at the horizon, and on at the opening', async () => {
    const group = await start(4);
    await createJob(
      {
        jobId: 'gap',
        jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
        schedulingConfig: {
          maintenanceWindows: [
            { startTime: 'cron(0 0 1 1 ? 2026)', durationInMinutes: 2 },
            { startTime: 'cron(0 0 1 1 ? 2029)', durationInMinutes: 10 },
          ],
        },
      },
      group,
    );
    await ep.clock.advance(hour);
    expect(notifiedTimes()).toHaveLength(2);
    expect((await describeJob(ep, 'gap')).status).toBe('IN_PROGRESS');
    // Things still wait: one wake-up, at the horizon, to look again.
    expect(ep.clock.pending).toBe(1);
    await ep.clock.advance(2 * 366 * day);
    expect(ep.clock.pending).toBe(1);
    await ep.clock.setTime(Date.UTC(2029, 0, 1, 0, 10));
    expect(notifiedTimes()).toHaveLength(4);
    expect((await describeJob(ep, 'gap')).status).toBe('COMPLETED');
  });

  it('CancelJob and DeleteJob between windows take back the wake-up at the next opening', async () => {
    const group = await start(300);
    const rollout = { maximumPerMinute: 2 };
    const windows = { maintenanceWindows: [nightly] };
    await createJob(
      { jobId: 'canceled', jobExecutionsRolloutConfig: rollout, schedulingConfig: windows },
      group,
    );
    await createJob(
      { jobId: 'deleted', jobExecutionsRolloutConfig: rollout, schedulingConfig: windows },
      group,
    );
    await ep.clock.advance(3 * hour + 30 * minute);
    // One wake-up per job at the next opening.
    expect(ep.clock.pending).toBe(2);
    await ep.iot.send(new CancelJobCommand({ jobId: 'canceled' }));
    await ep.clock.advance(second);
    expect(ep.clock.pending).toBe(1);
    await ep.iot.send(new DeleteJobCommand({ jobId: 'deleted', force: true }));
    await ep.clock.advance(second);
    expect(ep.clock.pending).toBe(0);
  });

  it('CancelJobExecution of the last queued executions between windows completes the job at the next second', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds: 10 }) });
    const things = seedThings(ep, 'fleet', 3);
    await createJob(
      {
        jobId: 'short',
        jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
        schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 1 }] },
      },
      groupArn(ep, 'fleet'),
    );
    await ep.clock.setTime(t0 + 2 * hour + 10 * minute);
    expect(notifiedTimes()).toHaveLength(1);
    const notified = ep.events.find((e) => e.type === 'notified');
    for (const thingName of things) {
      if (notified?.type === 'notified' && notified.thingName === thingName) continue;
      await ep.iot.send(new CancelJobExecutionCommand({ jobId: 'short', thingName }));
    }
    await ep.clock.advance(second);
    expect((await describeJob(ep, 'short')).status).toBe('COMPLETED');
    expect(ep.clock.pending).toBe(0);
  });
});

describe('the end time and its end behaviour', () => {
  /**
   * 100 things at 2 per minute, 5 minutes each, until 00:30: about 60 are
   * notified before the end, the last ones still IN_PROGRESS at it.
   */
  async function endingJob(jobId: string, endBehavior?: 'STOP_ROLLOUT' | 'CANCEL' | 'FORCE_CANCEL') {
    const group = await start(100, 300);
    await createJob(
      {
        jobId,
        jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
        schedulingConfig: { endTime: '2026-01-01T00:30', ...(endBehavior && { endBehavior }) },
      },
      group,
    );
    const topics = jobTopics();
    await ep.clock.advance(30 * minute);
    const notified = notifiedTimes().length;
    const atEnd = await describeJob(ep, jobId);
    return { notified, atEnd, topics };
  }

  it('STOP_ROLLOUT: never-notified executions are canceled, notified ones run to their end, then the job completes', async () => {
    const { notified, atEnd, topics } = await endingJob('stop', 'STOP_ROLLOUT');
    expect(notified).toBeGreaterThan(55);
    expect(notified).toBeLessThan(65);
    expect(atEnd.status).toBe('IN_PROGRESS');
    expect(atEnd.details.numberOfCanceledThings).toBe(100 - notified);
    expect(atEnd.details.numberOfInProgressThings).toBeGreaterThan(0);
    await ep.clock.advance(10 * minute);
    expect(notifiedTimes()).toHaveLength(notified);
    const { status, details } = await describeJob(ep, 'stop');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfSucceededThings).toBe(notified);
    expect(details.numberOfCanceledThings).toBe(100 - notified);
    expect(topics).toEqual(['$aws/events/job/stop/completed']);
  });

  it('no endBehavior: the end time stops the rollout (STOP_ROLLOUT) and the job completes', async () => {
    const { notified, atEnd } = await endingJob('default');
    expect(atEnd.details.numberOfCanceledThings).toBe(100 - notified);
    await ep.clock.advance(10 * minute);
    expect((await describeJob(ep, 'default')).status).toBe('COMPLETED');
  });

  it('CANCEL: the job is CANCELED as CancelJob leaves it; devices already IN_PROGRESS finish', async () => {
    const { notified, atEnd, topics } = await endingJob('cancel', 'CANCEL');
    expect(atEnd.status).toBe('CANCELED');
    const inFlight = atEnd.details.numberOfInProgressThings;
    expect(inFlight).toBeGreaterThan(0);
    expect(atEnd.details.numberOfCanceledThings).toBe(100 - notified);
    await ep.clock.advance(10 * minute);
    const { details } = await describeJob(ep, 'cancel');
    expect(details.numberOfSucceededThings).toBe(notified);
    expect(topics).toEqual([
      '$aws/events/job/cancel/cancellation_in_progress',
      '$aws/events/job/cancel/canceled',
    ]);
  });

  it('FORCE_CANCEL: the job is CANCELED with force, and executions IN_PROGRESS are canceled too', async () => {
    const { notified, atEnd, topics } = await endingJob('force', 'FORCE_CANCEL');
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'force' }));
    expect(job?.status).toBe('CANCELED');
    expect(job?.forceCanceled).toBe(true);
    expect(atEnd.details.numberOfInProgressThings).toBe(0);
    const succeeded = atEnd.details.numberOfSucceededThings;
    expect(succeeded).toBeLessThan(notified);
    expect(atEnd.details.numberOfCanceledThings).toBe(100 - succeeded);
    await ep.clock.advance(10 * minute);
    expect((await describeJob(ep, 'force')).details.numberOfSucceededThings).toBe(succeeded);
    expect(topics).toEqual([
      '$aws/events/job/force/cancellation_in_progress',
      '$aws/events/job/force/canceled',
    ]);
  });

  it('an end time before the first window opens: the job completes from SCHEDULED, nobody notified, every execution canceled', async () => {
    const group = await start(10);
    await createJob(
      { jobId: 'missed', schedulingConfig: { endTime: '2026-01-01T01:00', maintenanceWindows: [nightly] } },
      group,
    );
    const topics = jobTopics();
    await ep.clock.advance(day);
    const { status, details } = await describeJob(ep, 'missed');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfCanceledThings).toBe(10);
    expect(notifiedTimes()).toEqual([]);
    expect(topics).toEqual(['$aws/events/job/missed/completed']);
  });
});

describe('maintenance windows from a job template', () => {
  it('a job created from a template inherits its windows (DescribeJobTemplate shows them) and keeps to them', async () => {
    const group = await start(50);
    const { jobTemplateArn } = await ep.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'night-ota',
        description: 'at night',
        document: '{}',
        maintenanceWindows: [nightly],
      }),
    );
    const template = await ep.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'night-ota' }));
    expect(template.maintenanceWindows).toEqual([nightly]);
    await ep.iot.send(new CreateJobCommand({ jobId: 'inherits', jobTemplateArn, targets: [group] }));
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'overrides',
        jobTemplateArn,
        targets: [group],
        schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 5 * * ? *)', durationInMinutes: 30 }] },
      }),
    );
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'inherits' }));
    expect(job?.schedulingConfig?.maintenanceWindows).toEqual([nightly]);
    expect(job?.scheduledJobRollouts?.[0]).toEqual({ startTime: '2026-01-01T02:00' });
    await ep.clock.advance(day);
    const hours = (jobId: string) =>
      new Set(
        ep.events
          .filter((e) => e.type === 'notified' && e.jobId === jobId)
          .map((e) => new Date(e.at).getUTCHours()),
      );
    expect(hours('inherits')).toEqual(new Set([2]));
    expect(hours('overrides')).toEqual(new Set([5]));
    expect((await describeJob(ep, 'inherits')).status).toBe('COMPLETED');
  });
});
