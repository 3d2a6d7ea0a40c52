/**
 * One rejected request for every validation rule AWS IoT applies to job
 * templates and jobs: each must come back as InvalidRequestException (400)
 * with an AWS-style message naming the field.
 */
import {
  CreateJobCommand,
  type CreateJobCommandInput,
  CreateJobTemplateCommand,
  type CreateJobTemplateCommandInput,
  ListJobExecutionsForJobCommand,
  ListJobTemplatesCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError, groupArn, seedGroup } from './iot-fixtures.js';

const abortCriterion = {
  failureType: 'FAILED' as const,
  action: 'CANCEL' as const,
  thresholdPercentage: 10,
  minNumberOfExecutedThings: 1,
};
const exponentialRate = {
  baseRatePerMinute: 10,
  incrementFactor: 2,
  rateIncreaseCriteria: { numberOfNotifiedThings: 10 },
};
const tooLong = (n: number) => 'x'.repeat(n);

// Members are cast loosely on purpose: the point is to send what the SDK types forbid.
type Loose<T> = { [K in keyof T]?: unknown };

interface Case<T> {
  rule: string;
  /** A field name the message must mention. */
  field: string;
  input: Loose<T>;
}

const templateCases: Case<CreateJobTemplateCommandInput>[] = [
  { rule: 'jobTemplateId outside [a-zA-Z0-9_-]', field: 'jobTemplateId', input: { jobTemplateId: 'bad!id' } },
  { rule: 'jobTemplateId longer than 64', field: 'jobTemplateId', input: { jobTemplateId: tooLong(65) } },
  { rule: 'description missing on a template', field: 'description', input: { description: undefined } },
  { rule: 'description longer than 2028', field: 'description', input: { description: tooLong(2029) } },
  {
    rule: 'description with a control character',
    field: 'description',
    input: { description: 'line\u0007bell' },
  },
  { rule: 'no document, documentSource or jobArn', field: 'document', input: { document: undefined } },
  {
    rule: 'both document and documentSource',
    field: 'document',
    input: { documentSource: 'https://s3.amazonaws.com/b/k.json' },
  },
  {
    rule: 'document and jobArn',
    field: 'document',
    input: { jobArn: 'arn:aws:iot:us-east-1:000000000000:job/x' },
  },
  { rule: 'document longer than 32768', field: 'document', input: { document: tooLong(32769) } },
  {
    rule: 'documentSource longer than 1350',
    field: 'documentSource',
    input: { document: undefined, documentSource: tooLong(1351) },
  },
  {
    rule: 'presignedUrlConfig.expiresInSec under 60',
    field: 'expiresInSec',
    input: { presignedUrlConfig: { expiresInSec: 59 } },
  },
  {
    rule: 'presignedUrlConfig.expiresInSec over 3600',
    field: 'expiresInSec',
    input: { presignedUrlConfig: { expiresInSec: 3601 } },
  },
  {
    rule: 'maximumPerMinute over 1000',
    field: 'maximumPerMinute',
    input: { jobExecutionsRolloutConfig: { maximumPerMinute: 1001 } },
  },
  {
    rule: 'maximumPerMinute under 1',
    field: 'maximumPerMinute',
    input: { jobExecutionsRolloutConfig: { maximumPerMinute: 0 } },
  },
  {
    rule: 'exponentialRate.baseRatePerMinute under 1',
    field: 'baseRatePerMinute',
    input: { jobExecutionsRolloutConfig: { exponentialRate: { ...exponentialRate, baseRatePerMinute: 0 } } },
  },
  {
    rule: 'exponentialRate.baseRatePerMinute over 1000',
    field: 'baseRatePerMinute',
    input: {
      jobExecutionsRolloutConfig: { exponentialRate: { ...exponentialRate, baseRatePerMinute: 1001 } },
    },
  },
  {
    rule: 'incrementFactor under 1.1',
    field: 'incrementFactor',
    input: { jobExecutionsRolloutConfig: { exponentialRate: { ...exponentialRate, incrementFactor: 1 } } },
  },
  {
    rule: 'incrementFactor over 5',
    field: 'incrementFactor',
    input: { jobExecutionsRolloutConfig: { exponentialRate: { ...exponentialRate, incrementFactor: 5.1 } } },
  },
  {
    rule: 'incrementFactor with two decimals',
    field: 'incrementFactor',
    input: { jobExecutionsRolloutConfig: { exponentialRate: { ...exponentialRate, incrementFactor: 1.25 } } },
  },
  {
    rule: 'rateIncreaseCriteria missing',
    field: 'rateIncreaseCriteria',
    input: {
      jobExecutionsRolloutConfig: {
        exponentialRate: { ...exponentialRate, rateIncreaseCriteria: undefined },
      },
    },
  },
  {
    rule: 'rateIncreaseCriteria with both thresholds',
    field: 'rateIncreaseCriteria',
    input: {
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          ...exponentialRate,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1, numberOfSucceededThings: 1 },
        },
      },
    },
  },
  {
    rule: 'rateIncreaseCriteria with neither threshold',
    field: 'rateIncreaseCriteria',
    input: {
      jobExecutionsRolloutConfig: { exponentialRate: { ...exponentialRate, rateIncreaseCriteria: {} } },
    },
  },
  {
    rule: 'rateIncreaseCriteria threshold under 1',
    field: 'numberOfSucceededThings',
    input: {
      jobExecutionsRolloutConfig: {
        exponentialRate: { ...exponentialRate, rateIncreaseCriteria: { numberOfSucceededThings: 0 } },
      },
    },
  },
  {
    rule: 'abortConfig.criteriaList empty',
    field: 'criteriaList',
    input: { abortConfig: { criteriaList: [] } },
  },
  {
    rule: 'abort failureType unknown',
    field: 'failureType',
    input: { abortConfig: { criteriaList: [{ ...abortCriterion, failureType: 'CRASHED' }] } },
  },
  {
    rule: 'abort action other than CANCEL',
    field: 'action',
    input: { abortConfig: { criteriaList: [{ ...abortCriterion, action: 'STOP' }] } },
  },
  {
    rule: 'abort thresholdPercentage over 100',
    field: 'thresholdPercentage',
    input: { abortConfig: { criteriaList: [{ ...abortCriterion, thresholdPercentage: 100.5 }] } },
  },
  {
    rule: 'abort thresholdPercentage with three decimals',
    field: 'thresholdPercentage',
    input: { abortConfig: { criteriaList: [{ ...abortCriterion, thresholdPercentage: 10.125 }] } },
  },
  {
    rule: 'abort minNumberOfExecutedThings under 1',
    field: 'minNumberOfExecutedThings',
    input: { abortConfig: { criteriaList: [{ ...abortCriterion, minNumberOfExecutedThings: 0 }] } },
  },
  {
    rule: 'inProgressTimeoutInMinutes over 10080',
    field: 'inProgressTimeoutInMinutes',
    input: { timeoutConfig: { inProgressTimeoutInMinutes: 10081 } },
  },
  {
    rule: 'inProgressTimeoutInMinutes under 1',
    field: 'inProgressTimeoutInMinutes',
    input: { timeoutConfig: { inProgressTimeoutInMinutes: 0 } },
  },
  {
    rule: 'retry criteriaList empty',
    field: 'criteriaList',
    input: { jobExecutionsRetryConfig: { criteriaList: [] } },
  },
  {
    rule: 'retry criteriaList with 3 criteria',
    field: 'criteriaList',
    input: {
      jobExecutionsRetryConfig: {
        criteriaList: [
          { failureType: 'FAILED', numberOfRetries: 1 },
          { failureType: 'TIMED_OUT', numberOfRetries: 1 },
          { failureType: 'ALL', numberOfRetries: 1 },
        ],
      },
    },
  },
  {
    rule: 'retry failureType REJECTED',
    field: 'failureType',
    input: { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'REJECTED', numberOfRetries: 1 }] } },
  },
  {
    rule: 'numberOfRetries over 10',
    field: 'numberOfRetries',
    input: { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 11 }] } },
  },
  { rule: 'tag Key empty', field: 'Key', input: { tags: [{ Key: '', Value: 'v' }] } },
  { rule: 'tag Key longer than 128', field: 'Key', input: { tags: [{ Key: tooLong(129), Value: 'v' }] } },
  { rule: 'tag Value longer than 256', field: 'Value', input: { tags: [{ Key: 'k', Value: tooLong(257) }] } },
];

const jobCases: Case<CreateJobCommandInput>[] = [
  { rule: 'jobId outside [a-zA-Z0-9_-]', field: 'jobId', input: { jobId: 'job.1' } },
  { rule: 'jobId longer than 64', field: 'jobId', input: { jobId: tooLong(65) } },
  { rule: 'no targets', field: 'targets', input: { targets: [] } },
  {
    rule: 'more than 100 targets',
    field: 'targets',
    input: { targets: Array.from({ length: 101 }, () => groupArn('valid')) },
  },
  {
    rule: 'targetSelection other than CONTINUOUS or SNAPSHOT',
    field: 'targetSelection',
    input: { targetSelection: 'ONCE' },
  },
  {
    rule: 'neither document, documentSource nor jobTemplateArn',
    field: 'document',
    input: { document: undefined },
  },
  {
    rule: 'both document and documentSource',
    field: 'document',
    input: { documentSource: 'https://s3.amazonaws.com/b/k.json' },
  },
  { rule: 'description longer than 2028', field: 'description', input: { description: tooLong(2029) } },
  { rule: 'document longer than 32768', field: 'document', input: { document: tooLong(32769) } },
  {
    rule: 'abort thresholdPercentage over 100',
    field: 'thresholdPercentage',
    input: { abortConfig: { criteriaList: [{ ...abortCriterion, thresholdPercentage: 101 }] } },
  },
];

describe('IoT request validation', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
    seedGroup(ep.emulator, 'valid', 1);
  });
  afterAll(async () => ep.close());

  it('accepts the valid template and job the cases below break', async () => {
    await ep.iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'ok-template', description: 'ok', document: '{}' }),
    );
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'ok-job', targets: [groupArn('valid')], document: '{}' }),
    );
  });

  it.each(templateCases)('rejects a template: $rule', async ({ field, input }) => {
    const request = {
      jobTemplateId: 'tpl',
      description: 'd',
      document: '{}',
      ...input,
    } as CreateJobTemplateCommandInput;
    const error = await expectIotError(
      ep.iot.send(new CreateJobTemplateCommand(request)),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toMatch(/^\d+ validation errors? detected: /);
    expect(error.message).toContain(field);
  });

  it.each(jobCases)('rejects a job: $rule', async ({ field, input }) => {
    const request = {
      jobId: 'job',
      targets: [groupArn('valid')],
      document: '{}',
      ...input,
    } as CreateJobCommandInput;
    const error = await expectIotError(
      ep.iot.send(new CreateJobCommand(request)),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toContain(field);
  });

  it('writes the message as AWS does, with the full member path', async () => {
    const error = await expectIotError(
      ep.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: 'tpl',
          description: 'd',
          document: '{}',
          abortConfig: { criteriaList: [abortCriterion, { ...abortCriterion, thresholdPercentage: 120 }] },
        }),
      ),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toBe(
      "1 validation error detected: Value at 'abortConfig.criteriaList.2.member.thresholdPercentage' failed to satisfy constraint: Member must be at most 100",
    );
  });

  it('reports every problem of a request at once', async () => {
    const error = await expectIotError(
      ep.iot.send(
        new CreateJobTemplateCommand({
          jobTemplateId: 'tpl',
          description: 'd',
          document: '{}',
          timeoutConfig: { inProgressTimeoutInMinutes: 0 },
          presignedUrlConfig: { expiresInSec: 1 },
        }),
      ),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toMatch(/^2 validation errors detected: /);
  });

  it.each([0, 251])('rejects maxResults %i on a List operation', async (maxResults) => {
    const error = await expectIotError(
      ep.iot.send(new ListJobTemplatesCommand({ maxResults })),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toContain('maxResults');
  });

  it('rejects a nextToken the endpoint never issued', async () => {
    await expectIotError(
      ep.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'ok-job', nextToken: 'not-a-token' })),
      'InvalidRequestException',
      400,
    );
  });

  it('rejects a malformed JSON body with InvalidRequestException', async () => {
    const response = await fetch(`${ep.url}/jobs/raw-job`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{"targets": [',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(await response.json()).toEqual({ message: expect.stringContaining('json') });
  });
});
