import {
  CreateJobTemplateCommand,
  DescribeJobTemplateCommand,
  type ListJobTemplatesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { IotJobTemplates } from '../../../lib/adapters/iot-job-templates.js';
import { NotFoundError } from '../../../lib/domain/errors.js';
import { fakeIotClient } from '../../support/fake-sdk-client.js';

const arn = 'arn:aws:iot:us-east-1:123456789012:jobtemplate/tpl-1';
const config = { throttleRetryAfterSeconds: 1 };

describe('IotJobTemplates', () => {
  it('creates a template with the id and every setting', async () => {
    const { client, sent } = fakeIotClient(() => ({ jobTemplateId: 'tpl-1', jobTemplateArn: arn }));
    const out = await new IotJobTemplates(client, config).create('tpl-1', {
      description: 'd',
      document: '{}',
    });
    expect(out).toEqual({ jobTemplateId: 'tpl-1', jobTemplateArn: arn });
    expect(sent[0]).toBeInstanceOf(CreateJobTemplateCommand);
    expect((sent[0] as CreateJobTemplateCommand).input).toEqual({
      jobTemplateId: 'tpl-1',
      description: 'd',
      document: '{}',
    });
  });

  it('describes a template with createdAt as ISO 8601 and no SDK metadata', async () => {
    const { client, sent } = fakeIotClient(() => ({
      jobTemplateId: 'tpl-1',
      jobTemplateArn: arn,
      description: 'd',
      document: '{}',
      createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
    }));
    const out = await new IotJobTemplates(client, config).describe('tpl-1');
    expect(sent[0]).toBeInstanceOf(DescribeJobTemplateCommand);
    expect(out).toEqual({
      jobTemplateId: 'tpl-1',
      jobTemplateArn: arn,
      description: 'd',
      document: '{}',
      createdAt: '2026-01-02T03:04:05.000Z',
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
    });
  });

  it('lists a page with maxResults and nextToken passed through', async () => {
    const { client, sent } = fakeIotClient(() => ({
      jobTemplates: [{ jobTemplateId: 'tpl-1', jobTemplateArn: arn, createdAt: new Date(0) }],
      nextToken: 'next',
    }));
    const out = await new IotJobTemplates(client, config).list({ limit: 5, nextToken: 'tok' });
    expect((sent[0] as ListJobTemplatesCommand).input).toEqual({ maxResults: 5, nextToken: 'tok' });
    expect(out).toEqual({
      items: [{ jobTemplateId: 'tpl-1', jobTemplateArn: arn, createdAt: '1970-01-01T00:00:00.000Z' }],
      nextToken: 'next',
    });
  });

  it('omits nextToken on the last page', async () => {
    const { client } = fakeIotClient(() => ({ jobTemplates: [] }));
    expect(await new IotJobTemplates(client, config).list({})).toEqual({ items: [] });
  });

  it('translates IoT exceptions into domain errors', async () => {
    const { client } = fakeIotClient(
      () => new ResourceNotFoundException({ message: 'no tpl-9', $metadata: {} }),
    );
    await expect(new IotJobTemplates(client, config).delete('tpl-9')).rejects.toBeInstanceOf(NotFoundError);
  });
});
