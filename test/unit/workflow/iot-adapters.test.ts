/**
 * The workflow's IoT adapters over a fake client: CreateJob's settings and
 * its "already exists" outcome, DescribeJob's view, CancelJob on an ended
 * job, paging ListJobExecutionsForJob and ListThingsInThingGroup, an
 * existing thing group, deleting a group (a missing one is no error), and IoT's
 * errors translated into domain errors.
 */
import {
  type CancelJobCommand,
  CreateJobCommand,
  DeleteThingGroupCommand,
  DescribeJobCommand,
  InvalidRequestException,
  InvalidStateTransitionException,
  type ListJobExecutionsForJobCommand,
  type ListThingsInThingGroupCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { IotJobs } from '../../../lib/adapters/iot-jobs.js';
import { IotThingGroups } from '../../../lib/adapters/iot-thing-groups.js';
import { NotFoundError, ThrottledError } from '../../../lib/domain/errors.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { EndTimeRefusedError } from '../../../lib/workflow/errors.js';
import { fakeIotClient } from '../../support/fake-sdk-client.js';

const meta = { $metadata: {}, message: 'm' };
const config = { throttleRetryAfterSeconds: 2 };
const request = {
  jobId: 'r-w01',
  jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/t',
  targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/g'],
  overrides: { abortConfig: { criteriaList: [] } },
  description: 'wave 1',
};

describe('IotJobs', () => {
  it('creates a SNAPSHOT job from the template with the overrides', async () => {
    const { client, sent } = fakeIotClient(() => ({ jobId: 'r-w01', jobArn: 'arn:job' }));
    expect(await new IotJobs(client, config).create(request)).toEqual({ created: true, jobArn: 'arn:job' });
    expect(sent[0]).toBeInstanceOf(CreateJobCommand);
    expect((sent[0] as CreateJobCommand).input).toMatchObject({
      jobId: 'r-w01',
      jobTemplateArn: request.jobTemplateArn,
      targets: request.targets,
      targetSelection: 'SNAPSHOT',
      abortConfig: { criteriaList: [] },
    });
  });

  it('turns IoT refusing the end time into EndTimeRefusedError, and leaves other refusals a ValidationError', async () => {
    const scheduled = {
      ...request,
      schedulingConfig: { endTime: '2026-01-01T01:00', endBehavior: 'CANCEL' as const },
    };
    const refusal =
      "1 validation error detected: Value at 'schedulingConfig.endTime' failed to satisfy constraint: Member must be at least 30 minutes from now";
    const refused = fakeIotClient(() => new InvalidRequestException({ ...meta, message: refusal }));
    await expect(new IotJobs(refused.client, config).create(scheduled)).rejects.toBeInstanceOf(
      EndTimeRefusedError,
    );
    const other = fakeIotClient(
      () => new InvalidRequestException({ ...meta, message: 'targets is not valid' }),
    );
    await expect(new IotJobs(other.client, config).create(scheduled)).rejects.toMatchObject({
      name: 'ValidationError',
    });
    const unscheduled = fakeIotClient(() => new InvalidRequestException({ ...meta, message: refusal }));
    await expect(new IotJobs(unscheduled.client, config).create(request)).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('answers an existing job id as created: false with its ARN, not as an error', async () => {
    const { client } = fakeIotClient(
      () => new ResourceAlreadyExistsException({ ...meta, resourceId: 'r-w01', resourceArn: 'arn:existing' }),
    );
    expect(await new IotJobs(client, config).create(request)).toEqual({
      created: false,
      jobArn: 'arn:existing',
    });
  });

  it('describes a job with its eight counters, missing ones as 0', async () => {
    const { client } = fakeIotClient(() => ({
      job: {
        jobId: 'r-w01',
        jobArn: 'arn:job',
        status: 'IN_PROGRESS',
        jobTemplateArn: request.jobTemplateArn,
        targets: request.targets,
        jobProcessDetails: { numberOfSucceededThings: 3 },
      },
    }));
    expect(await new IotJobs(client, config).describe('r-w01')).toEqual({
      jobId: 'r-w01',
      jobArn: 'arn:job',
      status: 'IN_PROGRESS',
      jobTemplateArn: request.jobTemplateArn,
      targets: request.targets,
      counts: { ...ZERO_COUNTS, numberOfSucceededThings: 3 },
    });
  });

  it('translates a missing job and a throttle into domain errors', async () => {
    const missing = fakeIotClient(() => new ResourceNotFoundException(meta)).client;
    await expect(new IotJobs(missing, config).describe('x')).rejects.toBeInstanceOf(NotFoundError);
    const throttled = fakeIotClient(() => new ThrottlingException(meta)).client;
    const error = await new IotJobs(throttled, config).describe('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterSeconds).toBe(2);
  });

  it('cancels without force, and answers false for a job that already ended', async () => {
    const { client, sent } = fakeIotClient(() => ({}));
    expect(await new IotJobs(client, config).cancel('r-w01', { reasonCode: 'R', comment: 'c' })).toBe(true);
    expect((sent[0] as CancelJobCommand).input).toEqual({ jobId: 'r-w01', reasonCode: 'R', comment: 'c' });
  });

  it.each(['COMPLETED', 'CANCELED', 'DELETION_IN_PROGRESS'])(
    'answers false when IoT refuses the cancel and the job it then describes is %s',
    async (status) => {
      for (const refusal of [InvalidRequestException, InvalidStateTransitionException]) {
        const { client, sent } = fakeIotClient((command) =>
          command instanceof DescribeJobCommand
            ? { job: { jobId: 'r-w01', jobArn: 'arn:aws:iot:eu-west-1:1:job/r-w01', status, targets: [] } }
            : new refusal({ ...meta, message: `Job r-w01 is ${status} and cannot be canceled.` }),
        );
        expect(await new IotJobs(client, config).cancel('r-w01', { reasonCode: 'R', comment: 'c' })).toBe(
          false,
        );
        expect(sent.map((c) => c.constructor.name)).toEqual(['CancelJobCommand', 'DescribeJobCommand']);
      }
    },
  );

  it('passes on an InvalidRequestException about a job still running: the request itself was bad', async () => {
    const { client } = fakeIotClient((command) =>
      command instanceof DescribeJobCommand
        ? {
            job: {
              jobId: 'r-w01',
              jobArn: 'arn:aws:iot:eu-west-1:1:job/r-w01',
              status: 'IN_PROGRESS',
              targets: [],
            },
          }
        : new InvalidRequestException({ ...meta, message: 'reasonCode is not valid' }),
    );
    const refused = await new IotJobs(client, config)
      .cancel('r-w01', { reasonCode: 'bad code', comment: 'c' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).not.toBe('InvalidRequestException');
  });
});

describe('IotJobs.listExecutions', () => {
  const arn = (thing: string) => `arn:aws:iot:us-east-1:123456789012:thing/${thing}`;
  const summary = (thing: string, status: string) => ({
    thingArn: arn(thing),
    jobExecutionSummary: { status },
  });

  it("reads every page of a job's executions in a status, 250 a page, as thing names", async () => {
    const { client, sent } = fakeIotClient((command) => {
      const { nextToken } = (command as ListJobExecutionsForJobCommand).input;
      return nextToken
        ? { executionSummaries: [summary('c', 'FAILED')] }
        : { executionSummaries: [summary('a', 'FAILED'), summary('b', 'FAILED')], nextToken: 'p2' };
    });
    expect(await new IotJobs(client, config).listExecutions('r-w01', 'FAILED')).toEqual([
      { thingName: 'a', status: 'FAILED' },
      { thingName: 'b', status: 'FAILED' },
      { thingName: 'c', status: 'FAILED' },
    ]);
    expect(sent.map((c) => (c as ListJobExecutionsForJobCommand).input)).toEqual([
      { jobId: 'r-w01', maxResults: 250, status: 'FAILED' },
      { jobId: 'r-w01', maxResults: 250, status: 'FAILED', nextToken: 'p2' },
    ]);
  });

  it('lists every status when none is given, and a missing job is a NotFoundError', async () => {
    const { client, sent } = fakeIotClient(() => ({ executionSummaries: [summary('a', 'CANCELED')] }));
    expect(await new IotJobs(client, config).listExecutions('r-w01')).toEqual([
      { thingName: 'a', status: 'CANCELED' },
    ]);
    expect((sent[0] as ListJobExecutionsForJobCommand).input).toEqual({ jobId: 'r-w01', maxResults: 250 });
    const missing = fakeIotClient(() => new ResourceNotFoundException(meta)).client;
    await expect(new IotJobs(missing, config).listExecutions('gone')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('IotThingGroups', () => {
  it('reads every page of a group, recursively when asked', async () => {
    const { client, sent } = fakeIotClient((command) => {
      const { nextToken } = (command as ListThingsInThingGroupCommand).input;
      return nextToken ? { things: ['c'] } : { things: ['a', 'b'], nextToken: 'p2' };
    });
    expect(await new IotThingGroups(client, config).listThings('fleet', { recursive: true })).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect((sent[0] as ListThingsInThingGroupCommand).input).toMatchObject({
      recursive: true,
      maxResults: 250,
    });
  });

  it('keeps a group that already exists', async () => {
    const { client } = fakeIotClient(() => new ResourceAlreadyExistsException({ ...meta, resourceId: 'g' }));
    await expect(new IotThingGroups(client, config).ensure('g', 'd')).resolves.toBeUndefined();
  });

  it('says whether the registry has a thing (DescribeThing), passing throttling on', async () => {
    const has = fakeIotClient(() => ({ thingName: 'a' }));
    expect(await new IotThingGroups(has.client, config).thingExists('a')).toBe(true);
    const gone = fakeIotClient(() => new ResourceNotFoundException(meta));
    expect(await new IotThingGroups(gone.client, config).thingExists('a')).toBe(false);
    const slow = fakeIotClient(() => new ThrottlingException(meta));
    await expect(new IotThingGroups(slow.client, config).thingExists('a')).rejects.toMatchObject({
      name: 'ThrottledError',
    });
  });

  it('deletes a group (DeleteThingGroup), a missing one quietly, passing throttling on', async () => {
    const { client, sent } = fakeIotClient(() => ({}));
    await expect(new IotThingGroups(client, config).delete('fleetwave-r1-w01')).resolves.toBeUndefined();
    expect(sent[0]).toBeInstanceOf(DeleteThingGroupCommand);
    expect((sent[0] as DeleteThingGroupCommand).input).toEqual({ thingGroupName: 'fleetwave-r1-w01' });
    const missing = fakeIotClient(() => new ResourceNotFoundException(meta));
    await expect(new IotThingGroups(missing.client, config).delete('g')).resolves.toBeUndefined();
    const slow = fakeIotClient(() => new ThrottlingException(meta));
    await expect(new IotThingGroups(slow.client, config).delete('g')).rejects.toMatchObject({
      name: 'ThrottledError',
      retryAfterSeconds: 2,
    });
  });
});
