import {
  CreateJobCommand,
  CreateJobTemplateCommand,
  DeleteJobTemplateCommand,
  DescribeJobTemplateCommand,
  ListJobTemplatesCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError, groupArn, jobArn, seedGroup, templateArn } from './iot-fixtures.js';

const rollout = {
  maximumPerMinute: 50,
  exponentialRate: {
    baseRatePerMinute: 10,
    incrementFactor: 1.5,
    rateIncreaseCriteria: { numberOfSucceededThings: 5 },
  },
};
const abortConfig = {
  criteriaList: [
    {
      failureType: 'FAILED' as const,
      action: 'CANCEL' as const,
      thresholdPercentage: 12.5,
      minNumberOfExecutedThings: 10,
    },
  ],
};

describe('IoT job templates', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
    seedGroup(ep.emulator, 'tpl-fleet', 2);
  });
  afterAll(async () => ep.close());

  it('creates a template and describes it with every setting and createdAt in epoch seconds', async () => {
    const created = await ep.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'firmware-v2',
        description: 'Firmware 2.0',
        document: '{"operation":"install","version":"2.0"}',
        presignedUrlConfig: { roleArn: 'arn:aws:iam::000000000000:role/presign', expiresInSec: 600 },
        jobExecutionsRolloutConfig: rollout,
        abortConfig,
        timeoutConfig: { inProgressTimeoutInMinutes: 30 },
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }] },
      }),
    );
    expect(created).toMatchObject({
      jobTemplateArn: templateArn('firmware-v2'),
      jobTemplateId: 'firmware-v2',
    });

    const described = await ep.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'firmware-v2' }));
    expect(described).toMatchObject({
      jobTemplateArn: templateArn('firmware-v2'),
      jobTemplateId: 'firmware-v2',
      description: 'Firmware 2.0',
      document: '{"operation":"install","version":"2.0"}',
      presignedUrlConfig: { roleArn: 'arn:aws:iam::000000000000:role/presign', expiresInSec: 600 },
      jobExecutionsRolloutConfig: rollout,
      abortConfig,
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }] },
    });
    // The SDK turns epoch seconds into a Date: the virtual clock's start.
    expect(described.createdAt).toEqual(new Date(Date.UTC(2026, 0, 1)));
  });

  it('creates a template from a documentSource', async () => {
    await ep.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'from-s3',
        description: 'document in S3',
        documentSource: 'https://s3.amazonaws.com/bucket/job.json',
      }),
    );
    const described = await ep.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'from-s3' }));
    expect(described.documentSource).toBe('https://s3.amazonaws.com/bucket/job.json');
    expect(described.document).toBeUndefined();
  });

  it('refuses a duplicate jobTemplateId with ConflictException 409 carrying resourceId', async () => {
    await ep.iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'dup', description: 'one', document: '{}' }),
    );
    const error = await expectIotError(
      ep.iot.send(
        new CreateJobTemplateCommand({ jobTemplateId: 'dup', description: 'two', document: '{"x":1}' }),
      ),
      'ConflictException',
      409,
    );
    expect(error.resourceId).toBe('dup');
    // Templates are immutable: the first one is untouched.
    const described = await ep.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'dup' }));
    expect(described.description).toBe('one');
  });

  it('creates a template from an existing job, copying its document and settings', async () => {
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'source-job',
        targets: [groupArn('tpl-fleet')],
        document: '{"from":"job"}',
        abortConfig,
        timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      }),
    );
    await ep.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'from-job',
        description: 'copied',
        jobArn: jobArn('source-job'),
      }),
    );
    const described = await ep.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'from-job' }));
    expect(described).toMatchObject({
      document: '{"from":"job"}',
      abortConfig,
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
    });
  });

  it('answers ResourceNotFoundException for a template made from a job that does not exist', async () => {
    await expectIotError(
      ep.iot.send(
        new CreateJobTemplateCommand({ jobTemplateId: 'orphan', description: 'x', jobArn: jobArn('nope') }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });

  it('deletes a template, after which describing or deleting it is ResourceNotFoundException', async () => {
    await ep.iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'short-lived', description: 'x', document: '{}' }),
    );
    await ep.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: 'short-lived' }));
    await expectIotError(
      ep.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'short-lived' })),
      'ResourceNotFoundException',
      404,
    );
    await expectIotError(
      ep.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: 'short-lived' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('pages through 120 templates with maxResults and nextToken, each once, in creation order', async () => {
    const local = await startIotEndpoint();
    try {
      for (let i = 0; i < 120; i++) {
        await local.iot.send(
          new CreateJobTemplateCommand({
            jobTemplateId: `tpl-${String(i).padStart(3, '0')}`,
            description: `t${i}`,
            document: '{}',
          }),
        );
      }
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let nextToken: string | undefined;
      do {
        const page = await local.iot.send(new ListJobTemplatesCommand({ maxResults: 50, nextToken }));
        pageSizes.push(page.jobTemplates?.length ?? 0);
        for (const t of page.jobTemplates ?? []) {
          expect(t.jobTemplateArn).toBe(templateArn(t.jobTemplateId!));
          expect(t.description).toBe(`t${Number(t.jobTemplateId!.slice(4))}`);
          expect(t.createdAt).toBeInstanceOf(Date);
          seen.push(t.jobTemplateId!);
        }
        nextToken = page.nextToken;
      } while (nextToken);
      expect(pageSizes).toEqual([50, 50, 20]);
      expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => `tpl-${String(i).padStart(3, '0')}`));
    } finally {
      await local.close();
    }
  });

  it('does not list a deleted template', async () => {
    await ep.iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'gone', description: 'x', document: '{}' }),
    );
    await ep.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: 'gone' }));
    const page = await ep.iot.send(new ListJobTemplatesCommand({ maxResults: 250 }));
    expect(page.jobTemplates?.map((t) => t.jobTemplateId)).not.toContain('gone');
  });
});
