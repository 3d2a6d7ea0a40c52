/**
 * `aws iot create-job --scheduling-config ...` from the AWS CLI v2
 * (Debian's `awscli`, `/usr/bin/aws`) against the local IoT endpoint on a
 * manual virtual clock (2026-01-01T00:00Z): the start and end times and the
 * end behaviour, what DescribeJob and ListJobs show, and AWS's refusals.
 * Debian's CLI (2.9) predates `maintenanceWindows` and refuses them itself;
 * the SDK tests cover those (test/integration/iot/scheduling.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, expectAwsCli, runAwsCli } from '../support/aws-cli.js';
import { minute } from '../support/fleet.js';
import { type IotEndpoint, startIotEndpoint } from '../support/iot-endpoint.js';

const hour = 60 * minute;

const aws = (endpoint: string, args: readonly string[]) =>
  runAwsCli(endpoint, args, { AWS_MAX_ATTEMPTS: '1' });

let ep: IotEndpoint;
let thing: string;

beforeAll(async () => {
  expectAwsCli();
  ep = await startIotEndpoint();
  ep.emulator.registry.things.createThing({ thingName: 'pump-1' });
  thing = `arn:aws:iot:${ep.emulator.region}:${ep.emulator.accountId}:thing/pump-1`;
});
afterAll(async () => ep?.close());

async function createJob(jobId: string, schedulingConfig: object): Promise<CliResult> {
  return aws(ep.url, [
    'iot',
    'create-job',
    '--job-id',
    jobId,
    '--targets',
    thing,
    '--document',
    '{}',
    '--scheduling-config',
    JSON.stringify(schedulingConfig),
  ]);
}

async function describeJob(
  jobId: string,
): Promise<{ status: string; schedulingConfig?: object; forceCanceled?: boolean }> {
  const answer = await aws(ep.url, ['iot', 'describe-job', '--job-id', jobId]);
  if (!answer.ok) throw new Error(answer.stderr);
  return (JSON.parse(answer.stdout) as { job: { status: string; schedulingConfig?: object } }).job;
}

describe('aws iot create-job --scheduling-config against the local IoT', () => {
  it('startTime, endTime and endBehavior CANCEL: SCHEDULED and listed so, IN_PROGRESS at the start, CANCELED at the end', async () => {
    const config = { startTime: '2026-01-01T01:00', endTime: '2026-01-01T02:00', endBehavior: 'CANCEL' };
    const created = await createJob('cli-scheduled', config);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ jobId: 'cli-scheduled' });
    const before = await describeJob('cli-scheduled');
    expect(before.status).toBe('SCHEDULED');
    expect(before.schedulingConfig).toEqual(config);
    const listed = await aws(ep.url, ['iot', 'list-jobs', '--status', 'SCHEDULED']);
    expect((JSON.parse(listed.stdout) as { jobs: { jobId: string }[] }).jobs.map((j) => j.jobId)).toEqual([
      'cli-scheduled',
    ]);
    await ep.clock.advance(hour);
    expect((await describeJob('cli-scheduled')).status).toBe('IN_PROGRESS');
    await ep.clock.advance(hour);
    expect((await describeJob('cli-scheduled')).status).toBe('CANCELED');
  });

  it('endBehavior FORCE_CANCEL: the job is CANCELED with force at its end time', async () => {
    const now = ep.clock.now();
    const end = new Date(now + hour).toISOString().slice(0, 16);
    expect((await createJob('cli-force', { endTime: end, endBehavior: 'FORCE_CANCEL' })).ok).toBe(true);
    expect((await describeJob('cli-force')).status).toBe('IN_PROGRESS');
    await ep.clock.advance(hour);
    const job = await describeJob('cli-force');
    expect(job.status).toBe('CANCELED');
    expect(job.forceCanceled).toBe(true);
  });

  it('refuses with InvalidRequestException, naming the field, as AWS does', async () => {
    const at = (ms: number) => new Date(ep.clock.now() + ms).toISOString().slice(0, 16);
    const refusals: [object, string][] = [
      [
        { startTime: at(10 * minute) },
        "Value at 'schedulingConfig.startTime' failed to satisfy constraint: Member must be at least 30 minutes from now",
      ],
      [
        { startTime: at(400 * 24 * hour) },
        "Value at 'schedulingConfig.startTime' failed to satisfy constraint: Member must be at most a year from now",
      ],
      [
        { startTime: at(hour), endTime: at(hour + 20 * minute) },
        "Value at 'schedulingConfig.endTime' failed to satisfy constraint: Member must be at least 30 minutes after startTime",
      ],
      [
        { endTime: at(3 * 365 * 24 * hour) },
        "Value at 'schedulingConfig.endTime' failed to satisfy constraint: Member must be at most two years from now",
      ],
      [
        { startTime: '2026-01-01 05:00' },
        "Value at 'schedulingConfig.startTime' failed to satisfy constraint: Member must be a date and time of the form YYYY-MM-DDTHH:MM",
      ],
      [
        { endTime: at(hour), endBehavior: 'LATER' },
        "Value at 'schedulingConfig.endBehavior' failed to satisfy constraint: Member must satisfy enum value set: [STOP_ROLLOUT, CANCEL, FORCE_CANCEL]",
      ],
    ];
    for (const [i, [config, message]] of refusals.entries()) {
      const answer = await createJob(`cli-refused-${i}`, config);
      expect(answer.ok).toBe(false);
      expect(answer.stderr).toContain(
        'An error occurred (InvalidRequestException) when calling the CreateJob operation',
      );
      expect(answer.stderr).toContain(`: 1 validation error detected: ${message}`);
    }
  });
});
