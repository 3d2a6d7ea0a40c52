import {
  CancelJobCommand,
  CreateJobCommand,
  CreateJobTemplateCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  GetJobDocumentCommand,
  ListJobExecutionsForJobCommand,
  ListJobsCommand,
  type ListJobsCommandInput,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError, groupArn, jobArn, seedGroup, templateArn, thingArn } from './iot-fixtures.js';

const templateSettings = {
  presignedUrlConfig: { roleArn: 'arn:aws:iam::000000000000:role/presign', expiresInSec: 900 },
  jobExecutionsRolloutConfig: { maximumPerMinute: 100 },
  abortConfig: {
    criteriaList: [
      {
        failureType: 'ALL' as const,
        action: 'CANCEL' as const,
        thresholdPercentage: 20,
        minNumberOfExecutedThings: 5,
      },
    ],
  },
  timeoutConfig: { inProgressTimeoutInMinutes: 60 },
  jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED' as const, numberOfRetries: 3 }] },
};

describe('IoT jobs', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
    seedGroup(ep.emulator, 'fleet', 5);
    seedGroup(ep.emulator, 'canary', 2);
    await ep.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'fw-3',
        description: 'firmware 3',
        document: '{"version":"3"}',
        ...templateSettings,
      }),
    );
  });
  afterAll(async () => ep.close());

  it('creates a job from a document and returns jobArn, jobId and description', async () => {
    const created = await ep.iot.send(
      new CreateJobCommand({
        jobId: 'doc-job',
        targets: [groupArn('fleet')],
        document: '{"a":1}',
        description: 'plain',
      }),
    );
    expect(created).toMatchObject({ jobArn: jobArn('doc-job'), jobId: 'doc-job', description: 'plain' });
  });

  it('inherits the template document and every configuration when created from a jobTemplateArn', async () => {
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'from-tpl',
        targets: [groupArn('fleet')],
        jobTemplateArn: templateArn('fw-3'),
      }),
    );
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'from-tpl' }));
    expect(job).toMatchObject({ jobTemplateArn: templateArn('fw-3'), ...templateSettings });
    const doc = await ep.iot.send(new GetJobDocumentCommand({ jobId: 'from-tpl' }));
    expect(doc.document).toBe('{"version":"3"}');
  });

  it('lets CreateJob fields override the template settings field by field', async () => {
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'override',
        targets: [groupArn('fleet')],
        jobTemplateArn: templateArn('fw-3'),
        document: '{"version":"3.1"}',
        abortConfig: {
          criteriaList: [
            { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 5, minNumberOfExecutedThings: 1 },
          ],
        },
        timeoutConfig: { inProgressTimeoutInMinutes: 10 },
      }),
    );
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'override' }));
    expect(job?.abortConfig?.criteriaList?.[0]?.thresholdPercentage).toBe(5);
    expect(job?.timeoutConfig).toEqual({ inProgressTimeoutInMinutes: 10 });
    // Not overridden: still the template's.
    expect(job?.jobExecutionsRolloutConfig).toEqual(templateSettings.jobExecutionsRolloutConfig);
    expect(job?.presignedUrlConfig).toEqual(templateSettings.presignedUrlConfig);
    expect(job?.jobExecutionsRetryConfig).toEqual(templateSettings.jobExecutionsRetryConfig);
    const doc = await ep.iot.send(new GetJobDocumentCommand({ jobId: 'override' }));
    expect(doc.document).toBe('{"version":"3.1"}');
  });

  it('answers ResourceNotFoundException for a jobTemplateArn that names no template', async () => {
    await expectIotError(
      ep.iot.send(
        new CreateJobCommand({
          jobId: 'no-tpl',
          targets: [groupArn('fleet')],
          jobTemplateArn: templateArn('nope'),
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });

  it('answers ResourceNotFoundException for a target thing or group that does not exist', async () => {
    await expectIotError(
      ep.iot.send(new CreateJobCommand({ jobId: 'bad-thing', targets: [thingArn('ghost')], document: '{}' })),
      'ResourceNotFoundException',
      404,
    );
    await expectIotError(
      ep.iot.send(
        new CreateJobCommand({ jobId: 'bad-group', targets: [groupArn('ghosts')], document: '{}' }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });

  it('refuses a duplicate jobId with ResourceAlreadyExistsException carrying resourceId and resourceArn', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'twice', targets: [groupArn('canary')], document: '{}' }),
    );
    const error = await expectIotError(
      ep.iot.send(new CreateJobCommand({ jobId: 'twice', targets: [groupArn('canary')], document: '{}' })),
      'ResourceAlreadyExistsException',
      409,
    );
    expect(error.resourceId).toBe('twice');
    expect(error.resourceArn).toBe(jobArn('twice'));
  });

  it('describes a job with status, targets, epoch-second times and all eight counters', async () => {
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'described',
        targets: [groupArn('canary'), thingArn('fleet-0')],
        documentSource: 'https://s3.amazonaws.com/b/doc.json',
        targetSelection: 'SNAPSHOT',
        description: 'look at me',
      }),
    );
    const out = await ep.iot.send(new DescribeJobCommand({ jobId: 'described' }));
    expect(out.documentSource).toBe('https://s3.amazonaws.com/b/doc.json');
    expect(out.job).toMatchObject({
      jobArn: jobArn('described'),
      jobId: 'described',
      status: 'IN_PROGRESS',
      targetSelection: 'SNAPSHOT',
      targets: [groupArn('canary'), thingArn('fleet-0')],
      description: 'look at me',
      isConcurrent: false,
      jobProcessDetails: {
        processingTargets: [groupArn('canary'), thingArn('fleet-0')],
        numberOfCanceledThings: 0,
        numberOfSucceededThings: 0,
        numberOfFailedThings: 0,
        numberOfRejectedThings: 0,
        numberOfQueuedThings: 3,
        numberOfInProgressThings: 0,
        numberOfRemovedThings: 0,
        numberOfTimedOutThings: 0,
      },
    });
    expect(out.job?.createdAt).toEqual(new Date(ep.clock.now()));
    expect(out.job?.lastUpdatedAt).toEqual(new Date(ep.clock.now()));
    expect(out.job?.completedAt).toBeUndefined();
  });

  it('answers ResourceNotFoundException for DescribeJob and GetJobDocument of an unknown job', async () => {
    await expectIotError(
      ep.iot.send(new DescribeJobCommand({ jobId: 'unknown' })),
      'ResourceNotFoundException',
      404,
    );
    await expectIotError(
      ep.iot.send(new GetJobDocumentCommand({ jobId: 'unknown' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('lists jobs filtered by status, targetSelection and thingGroupName, paged', async () => {
    const local = await startIotEndpoint();
    try {
      seedGroup(local.emulator, 'a', 1);
      seedGroup(local.emulator, 'b', 1);
      for (const [jobId, group, sel] of [
        ['j1', 'a', 'SNAPSHOT'],
        ['j2', 'b', 'CONTINUOUS'],
        ['j3', 'a', 'CONTINUOUS'],
        ['j4', 'a', 'SNAPSHOT'],
      ] as const) {
        await local.iot.send(
          new CreateJobCommand({ jobId, targets: [groupArn(group)], document: '{}', targetSelection: sel }),
        );
      }
      await local.iot.send(new CancelJobCommand({ jobId: 'j4' }));
      const ids = async (input: ListJobsCommandInput) =>
        (await local.iot.send(new ListJobsCommand(input))).jobs?.map((j) => j.jobId);
      expect(await ids({})).toEqual(['j1', 'j2', 'j3', 'j4']);
      expect(await ids({ status: 'CANCELED' })).toEqual(['j4']);
      expect(await ids({ targetSelection: 'CONTINUOUS' })).toEqual(['j2', 'j3']);
      expect(await ids({ thingGroupName: 'a', status: 'IN_PROGRESS' })).toEqual(['j1', 'j3']);
      const first = await local.iot.send(new ListJobsCommand({ maxResults: 3 }));
      expect(first.jobs?.map((j) => j.jobId)).toEqual(['j1', 'j2', 'j3']);
      expect(first.jobs?.[0]).toMatchObject({
        jobArn: jobArn('j1'),
        status: 'IN_PROGRESS',
        targetSelection: 'SNAPSHOT',
      });
      expect(first.jobs?.[0]?.thingGroupId).toBe(
        local.emulator.registry.things.getThingGroup('a')?.thingGroupId,
      );
      const second = await local.iot.send(new ListJobsCommand({ maxResults: 3, nextToken: first.nextToken }));
      expect(second.jobs?.map((j) => j.jobId)).toEqual(['j4']);
      expect(second.nextToken).toBeUndefined();
    } finally {
      await local.close();
    }
  });

  it('cancels a job: QUEUED executions become CANCELED, reasonCode and comment are kept', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'to-cancel', targets: [groupArn('fleet')], document: '{}' }),
    );
    ep.emulator.jobs.transition('to-cancel', 'fleet-0', 'IN_PROGRESS');
    const out = await ep.iot.send(
      new CancelJobCommand({ jobId: 'to-cancel', reasonCode: 'OPERATOR_STOP', comment: 'bad build' }),
    );
    expect(out).toMatchObject({ jobArn: jobArn('to-cancel'), jobId: 'to-cancel' });
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'to-cancel' }));
    expect(job).toMatchObject({ status: 'CANCELED', reasonCode: 'OPERATOR_STOP', comment: 'bad build' });
    expect(job?.forceCanceled).toBeFalsy();
    // Without force the running execution runs on.
    expect(job?.jobProcessDetails).toMatchObject({
      numberOfCanceledThings: 4,
      numberOfInProgressThings: 1,
      numberOfQueuedThings: 0,
    });
  });

  it('cancels IN_PROGRESS executions too with force', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'force-cancel', targets: [groupArn('fleet')], document: '{}' }),
    );
    ep.emulator.jobs.transition('force-cancel', 'fleet-1', 'IN_PROGRESS');
    await ep.iot.send(new CancelJobCommand({ jobId: 'force-cancel', force: true }));
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'force-cancel' }));
    expect(job?.forceCanceled).toBe(true);
    expect(job?.jobProcessDetails).toMatchObject({ numberOfCanceledThings: 5, numberOfInProgressThings: 0 });
    const listed = await ep.iot.send(
      new ListJobExecutionsForJobCommand({ jobId: 'force-cancel', status: 'CANCELED' }),
    );
    expect(listed.executionSummaries).toHaveLength(5);
  });

  it('refuses to cancel a COMPLETED job with InvalidRequestException 400, the only state error CancelJob has', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'done', targets: [thingArn('fleet-0')], document: '{}' }),
    );
    ep.emulator.jobs.transition('done', 'fleet-0', 'SUCCEEDED');
    ep.emulator.jobs.finishJob('done', { status: 'COMPLETED' });
    await expectIotError(
      ep.iot.send(new CancelJobCommand({ jobId: 'done' })),
      'InvalidRequestException',
      400,
    );
  });

  it('refuses to delete an IN_PROGRESS job without force with InvalidStateTransitionException', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'running', targets: [groupArn('canary')], document: '{}' }),
    );
    await expectIotError(
      ep.iot.send(new DeleteJobCommand({ jobId: 'running' })),
      'InvalidStateTransitionException',
      409,
    );
  });

  it('deletes a job: DELETION_IN_PROGRESS first, gone once the deletion has run', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'deleted', targets: [groupArn('canary')], document: '{}' }),
    );
    await ep.iot.send(new DeleteJobCommand({ jobId: 'deleted', force: true }));
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'deleted' }));
    expect(job?.status).toBe('DELETION_IN_PROGRESS');
    await expectIotError(
      ep.iot.send(new DeleteJobCommand({ jobId: 'deleted', force: true })),
      'InvalidStateTransitionException',
      409,
    );
    await ep.clock.advance(1000);
    await expectIotError(
      ep.iot.send(new DescribeJobCommand({ jobId: 'deleted' })),
      'ResourceNotFoundException',
      404,
    );
    // AWS allows reusing a jobId once its deletion has completed.
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'deleted', targets: [groupArn('canary')], document: '{}' }),
    );
  });

  it('deletes a terminal job without force', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'canceled-then-deleted', targets: [groupArn('canary')], document: '{}' }),
    );
    await ep.iot.send(new CancelJobCommand({ jobId: 'canceled-then-deleted' }));
    await ep.iot.send(new DeleteJobCommand({ jobId: 'canceled-then-deleted' }));
    await ep.clock.advance(1000);
    await expectIotError(
      ep.iot.send(new DescribeJobCommand({ jobId: 'canceled-then-deleted' })),
      'ResourceNotFoundException',
      404,
    );
  });
});
