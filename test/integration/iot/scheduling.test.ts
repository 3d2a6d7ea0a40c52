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
    await ep.iot.send(new CancelJobCommand({ jobId: 'weekends' }));
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
    await ep.iot.send(new DeleteJobCommand({ jobId: 'pending', force: true }));
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'pending' }));
    expect(job?.status).toBe('DELETION_IN_PROGRESS');
  });

  it('an endBehavior without an endTime does not apply: the job runs, and nothing ends it', async () => {
    await createJob('no-end', { schedulingConfig: { endBehavior: 'FORCE_CANCEL' } });
    await ep.clock.advance(3 * 24 * 3_600_000);
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'no-end' }));
    expect(job?.status).toBe('IN_PROGRESS');
    expect(job?.scheduledJobRollouts).toBeUndefined();
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
