/**
 * `schedulingConfig` and `maintenanceWindows` through the SDK (the AWS CLI
 * that Debian ships predates maintenance windows): AWS's refusals of a
 * window, what DescribeJob and DescribeJobTemplate show, and a template
 * made from a job keeping the job's windows. The endpoint's manual virtual
 * clock starts at 2026-01-01T00:00Z (a Thursday).
 */
import {
  CancelJobCommand,
  CreateJobCommand,
  type CreateJobCommandInput,
  CreateJobTemplateCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  DescribeJobTemplateCommand,
  type MaintenanceWindow,
} from '@aws-sdk/client-iot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordCronerQuestions } from '../../support/croner-questions.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError, jobArn, thingArn } from './iot-fixtures.js';

let ep: IotEndpoint;
beforeEach(async () => {
  ep = await startIotEndpoint();
  ep.emulator.registry.things.createThing({ thingName: 'pump' });
});
afterEach(async () => ep.close());

const createJob = (jobId: string, input: Partial<CreateJobCommandInput> = {}) =>
  ep.iot.send(new CreateJobCommand({ jobId, targets: [thingArn('pump')], document: '{}', ...input }));

/** Saturdays 22:00 UTC for four hours. */
const weekend: MaintenanceWindow = { startTime: 'cron(0 22 ? * 7 *)', durationInMinutes: 240 };

describe('maintenance windows AWS refuses', () => {
  const cases: { rule: string; window: MaintenanceWindow; message: string }[] = [
    {
      rule: 'a duration under 1 minute',
      window: { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 0 },
      message:
        "Value at 'schedulingConfig.maintenanceWindows.1.member.durationInMinutes' failed to satisfy constraint: Member must be at least 1",
    },
    {
      rule: 'a duration over 1430 minutes',
      window: { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 1431 },
      message:
        "Value at 'schedulingConfig.maintenanceWindows.1.member.durationInMinutes' failed to satisfy constraint: Member must be at most 1430",
    },
    {
      rule: 'five cron fields',
      window: { startTime: 'cron(0 2 * * ?)', durationInMinutes: 60 },
      message:
        "Value at 'schedulingConfig.maintenanceWindows.1.member.startTime' failed to satisfy constraint: Member must have 6 fields",
    },
    {
      rule: 'both day fields given',
      window: { startTime: 'cron(0 2 * * * *)', durationInMinutes: 60 },
      message: 'exactly one of day-of-month and day-of-week must be ?',
    },
    {
      rule: 'day-of-week 8 (AWS counts SUN-SAT as 1-7)',
      window: { startTime: 'cron(0 2 ? * 8 *)', durationInMinutes: 60 },
      message: 'constraint: day-of-week has 8, outside 1-7',
    },
    {
      rule: 'the year 2200 (AWS takes 1970-2199)',
      window: { startTime: 'cron(0 2 * * ? 2200)', durationInMinutes: 60 },
      message: 'constraint: year has 2200, outside 1970-2199',
    },
    {
      rule: 'a step with no start (/15)',
      window: { startTime: 'cron(/15 2 * * ? *)', durationInMinutes: 60 },
      message: 'constraint: minutes has a step without a start',
    },
    {
      rule: 'no cron(...) around the fields',
      window: { startTime: '0 2 * * ? *', durationInMinutes: 60 },
      message: 'Member must have the form cron(fields)',
    },
  ];

  it.each(cases)(
    'CreateJob refuses $rule with InvalidRequestException (400), naming the member',
    async ({ window, message }) => {
      const error = await expectIotError(
        createJob('refused', { schedulingConfig: { maintenanceWindows: [window] } }),
        'InvalidRequestException',
        400,
      );
      expect(error.message).toContain(message);
    },
  );

  it('CreateJobTemplate refuses a bad window the same way', async () => {
    const error = await expectIotError(
      ep.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: 'bad',
          description: 'bad window',
          document: '{}',
          maintenanceWindows: [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 2000 }],
        }),
      ),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toBe(
      "1 validation error detected: Value at 'maintenanceWindows.1.member.durationInMinutes' failed to satisfy constraint: Member must be at most 1430",
    );
  });
});

describe('many windows, and windows that never open', () => {
  /** 30 February: AWS accepts it (it does not check that a cron ever fires). */
  const never: MaintenanceWindow = { startTime: 'cron(0 0 30 2 ? *)', durationInMinutes: 60 };

  it('more than 100 windows are refused, naming the field (fleetwave’s own cap)', async () => {
    const windows = Array.from({ length: 101 }, () => weekend);
    const error = await expectIotError(
      createJob('crowded', { schedulingConfig: { maintenanceWindows: windows } }),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toContain(
      "Value at 'schedulingConfig.maintenanceWindows' failed to satisfy constraint: Member must hold at most 100 windows",
    );
    const templateError = await expectIotError(
      ep.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: 'crowded',
          description: 'too many windows',
          document: '{}',
          maintenanceWindows: windows,
        }),
      ),
      'InvalidRequestException',
      400,
    );
    expect(templateError.message).toContain(
      "Value at 'maintenanceWindows' failed to satisfy constraint: Member must hold at most 100 windows",
    );
  });

  it('100 windows that never open are accepted, and each question asks croner about a few years only', async () => {
    const { patterns, restore } = recordCronerQuestions();
    try {
      await createJob('never', { schedulingConfig: { maintenanceWindows: Array(100).fill(never) } });
      for (let i = 0; i < 3; i++) {
        patterns.length = 0;
        const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'never' }));
        expect(job?.status).toBe('SCHEDULED');
        expect(job?.scheduledJobRollouts).toEqual([]);
        // One question per window, of a croner limited to the years ahead (not `*`, up to the year 3000).
        expect(patterns.length).toBeLessThanOrEqual(200);
        expect(patterns.some((p) => p.endsWith('*'))).toBe(false);
      }
      // The stack still answers other requests.
      await createJob('other');
      const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'other' }));
      expect(job?.status).toBe('IN_PROGRESS');
    } finally {
      restore();
    }
  });
});

describe('DescribeJob of a job with windows', () => {
  it('shows schedulingConfig and the next seven window starts, until the job ends', async () => {
    await createJob('weekends', {
      schedulingConfig: { endTime: '2026-03-01T00:00', maintenanceWindows: [weekend] },
    });
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'weekends' }));
    expect(job?.status).toBe('SCHEDULED');
    expect(job?.schedulingConfig).toEqual({ endTime: '2026-03-01T00:00', maintenanceWindows: [weekend] });
    expect(job?.scheduledJobRollouts).toEqual(
      ['03', '10', '17', '24', '31']
        .map((d) => ({ startTime: `2026-01-${d}T22:00` }))
        .concat([{ startTime: '2026-02-07T22:00' }, { startTime: '2026-02-14T22:00' }]),
    );
    // Its start timer (the first window) and its end timer.
    expect(ep.clock.pending).toBe(2);
    await ep.iot.send(new CancelJobCommand({ jobId: 'weekends' }));
    // Canceled: both taken back, so `max` time would not jump to them.
    expect(ep.clock.pending).toBe(0);
    const after = await ep.iot.send(new DescribeJobCommand({ jobId: 'weekends' }));
    expect(after.job?.status).toBe('CANCELED');
    expect(after.job?.scheduledJobRollouts).toBeUndefined();
  });

  it('a SCHEDULED job is an active job: DeleteJob without force refuses it, as it refuses a running one', async () => {
    await createJob('pending', { schedulingConfig: { startTime: '2026-01-02T00:00' } });
    await expectIotError(
      ep.iot.send(new DeleteJobCommand({ jobId: 'pending' })),
      'InvalidStateTransitionException',
      409,
    );
    expect(ep.clock.pending).toBe(1);
    await ep.iot.send(new DeleteJobCommand({ jobId: 'pending', force: true }));
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'pending' }));
    expect(job?.status).toBe('DELETION_IN_PROGRESS');
    // The start timer is taken back with the job.
    await ep.clock.advance(2 * 24 * 3_600_000);
    expect(ep.clock.pending).toBe(0);
    await expectIotError(
      ep.iot.send(new DescribeJobCommand({ jobId: 'pending' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('an endBehavior without an endTime does not apply: no end timer is set, and the job is never canceled', async () => {
    await createJob('no-end', { schedulingConfig: { endBehavior: 'FORCE_CANCEL' } });
    await createJob('with-end', {
      schedulingConfig: { endTime: '2026-01-01T01:00', endBehavior: 'FORCE_CANCEL' },
    });
    // Only the job with an end time has a timer.
    expect(ep.clock.pending).toBe(1);
    await ep.clock.advance(3 * 24 * 3_600_000);
    const ended = await ep.iot.send(new DescribeJobCommand({ jobId: 'with-end' }));
    expect(ended.job).toMatchObject({ status: 'CANCELED', forceCanceled: true });
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'no-end' }));
    expect(job?.status).toBe('IN_PROGRESS');
    expect(job?.forceCanceled).toBeUndefined();
    expect(job?.scheduledJobRollouts).toBeUndefined();
    expect(ep.clock.pending).toBe(0);
  });
});

describe('templates and windows', () => {
  it('a template made from a job (jobArn) keeps the job’s windows', async () => {
    await createJob('source', { schedulingConfig: { maintenanceWindows: [weekend] } });
    await ep.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'from-job',
        description: 'copied',
        jobArn: jobArn('source'),
      }),
    );
    const template = await ep.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'from-job' }));
    expect(template.maintenanceWindows).toEqual([weekend]);
  });
});
