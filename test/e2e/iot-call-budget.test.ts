/**
 * The IoT call budget through the REST API: a request's IoT calls go at
 * once (a person or CI is waiting) and are counted in the account's
 * schedule on the request's own clock, the local stack's virtual one here,
 * so the workflow's later calls leave room for them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock/virtual-clock.js';
import { api, useLocalStack } from '../support/local-stack.js';

const T0 = Date.UTC(2026, 0, 1);

describe('IoT call budget: API requests', () => {
  const stack = useLocalStack({
    clock: new VirtualClock({ start: T0, mode: { kind: 'manual' } }),
    iotCallsPerSecond: 4,
  });

  it("counts each request's jobs API calls on the request's clock, and never holds a request back", async () => {
    const created = await api(stack(), 'POST', '/job-templates', {
      jobTemplateId: 'budgeted',
      description: 'budgeted template',
      document: JSON.stringify({ operation: 'install' }),
    });
    expect(created.status).toBe(201);
    // Ten reads at once: over the budget of 4 per second, all answered.
    const reads = await Promise.all(
      Array.from({ length: 10 }, () => api(stack(), 'GET', '/job-templates/budgeted')),
    );
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));

    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack().awsUrl,
        region: stack().region,
        credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
      }),
    );
    try {
      const schedule = async (apiName: string) =>
        (
          await client.send(
            new GetCommand({
              TableName: stack().dynamodb.tableName,
              Key: { pk: `IOTBUDGET#${apiName}`, sk: 'IOTBUDGET' },
            }),
          )
        ).Item?.nextCallAt;
      // Virtual time stood still at T0: one create, then ten reads 250 ms apart on the schedule.
      expect(await schedule('CreateJobTemplate')).toBe(T0 + 250);
      expect(await schedule('DescribeJobTemplate')).toBe(T0 + 10 * 250);
    } finally {
      client.destroy();
    }
  });
});
