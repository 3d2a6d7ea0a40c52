import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, localTableName, tableDefinitions } from '../../../local/dynamodb/index.js';
import { readServerlessYml } from '../../../local/serverless-yml.js';
import { startTestDynamoDb, type TestDynamoDb } from '../../support/dynamodb.js';

describe('local DynamoDB on the shared endpoint', () => {
  let db: TestDynamoDb;
  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates the table declared in serverless.yml, keys and GSI included', async () => {
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: 'fleetwave-local' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.IndexStatus])).toEqual([
      [
        'gsi1',
        [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        'ACTIVE',
      ],
    ]);
  });

  it('takes the same definition as the deployment, CloudFormation tags and all', async () => {
    const [definition] = tableDefinitions(await readServerlessYml());
    expect(definition?.logicalId).toBe('FleetwaveTable');
    expect(definition?.input.AttributeDefinitions?.map((a) => a.AttributeName)).toEqual([
      'pk',
      'sk',
      'gsi1pk',
      'gsi1sk',
    ]);
  });

  it('leaves existing tables alone when asked again', async () => {
    await db.documentClient.send(new PutCommand({ TableName: db.tableName, Item: { pk: 'keep', sk: 'me' } }));
    await expect(ensureTables(db.client)).resolves.toEqual({ FleetwaveTable: 'fleetwave-local' });
    const { Item } = await db.documentClient.send(
      new GetCommand({ TableName: db.tableName, Key: { pk: 'keep', sk: 'me' } }),
    );
    expect(Item).toEqual({ pk: 'keep', sk: 'me' });
  });

  it('answers DynamoDB errors with their real names', async () => {
    await expect(db.client.send(new DescribeTableCommand({ TableName: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('names other tables after their logical id', () => {
    expect(localTableName('FleetwaveTable')).toBe('fleetwave-local');
    expect(localTableName('AuditLogTable')).toBe('fleetwave-local-audit-log');
  });
});

describe('local DynamoDB on disk', () => {
  it('keeps items across a restart with the same directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetwave-dynamodb-'));
    try {
      const first = await startTestDynamoDb({ path: dir });
      await first.documentClient.send(
        new PutCommand({ TableName: first.tableName, Item: { pk: 'a', sk: 'b', n: 1 } }),
      );
      await first.close();

      const second = await startTestDynamoDb({ path: dir });
      try {
        const { TableNames } = await second.client.send(new ListTablesCommand({}));
        expect(TableNames).toEqual(['fleetwave-local']);
        const { Item } = await second.documentClient.send(
          new GetCommand({ TableName: second.tableName, Key: { pk: 'a', sk: 'b' } }),
        );
        expect(Item).toEqual({ pk: 'a', sk: 'b', n: 1 });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
