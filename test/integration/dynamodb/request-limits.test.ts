/**
 * The local DynamoDB refuses what DynamoDB's limits refuse before dynalite
 * sees it: an attribute nested past 32 levels (10,000 levels deep used to
 * overflow dynalite's stack and end the process), an expression over 4 KB
 * (a 10 MiB filter used to hold every port for a minute and a half), a body
 * over 16 MB. Each is one refused request; the endpoint goes on serving.
 */
import { type AttributeValue, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDynamoDb, type TestDynamoDb } from '../../support/dynamodb.js';

let db: TestDynamoDb;

beforeAll(async () => {
  db = await startTestDynamoDb();
});
afterAll(async () => {
  await db?.close();
});

/**
 * Sends a DynamoDB JSON 1.0 request as raw text, signed in form only (dynalite
 * checks the header's shape, not the signature): the SDK's own serializer
 * recurses, and could not even build the deepest of these requests.
 */
async function rawCall(operation: string, body: string): Promise<{ status: number; body: string }> {
  const res = await fetch(db.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'x-amz-date': '20260101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDLOCALFLEETWAVE/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

/** An attribute value of `levels` maps, one inside the other, around a string. */
function nested(levels: number): AttributeValue {
  let value: AttributeValue = { S: 'core' };
  for (let i = 0; i < levels; i++) value = { M: { inner: value } };
  return value;
}

/** The same, as JSON text, built without recursion. */
function nestedJson(levels: number): string {
  return `${'{"M":{"inner":'.repeat(levels)}{"S":"core"}${'}}'.repeat(levels)}`;
}

const key = (id: string) => ({ pk: { S: `LIMITS#${id}` }, sk: { S: 'ITEM' } });

async function stillServes(): Promise<void> {
  await db.client.send(
    new PutItemCommand({ TableName: db.tableName, Item: { ...key('alive'), n: { N: '1' } } }),
  );
  const { Item } = await db.client.send(new GetItemCommand({ TableName: db.tableName, Key: key('alive') }));
  expect(Item?.n).toEqual({ N: '1' });
}

describe('the local DynamoDB request limits', () => {
  it('refuses an attribute nested 10,000 levels deep with a ValidationException, and keeps serving', async () => {
    const item = `{"pk":{"S":"LIMITS#deep"},"sk":{"S":"ITEM"},"deep":${nestedJson(10_000)}}`;
    const answer = await rawCall('PutItem', `{"TableName":"${db.tableName}","Item":${item}}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: 'Nesting Levels have exceeded supported limits',
    });
    await stillServes();
  });

  it('takes 32 levels of nesting and refuses 33, as DynamoDB does', async () => {
    await db.client.send(
      new PutItemCommand({ TableName: db.tableName, Item: { ...key('32'), deep: nested(32) } }),
    );
    const { Item } = await db.client.send(new GetItemCommand({ TableName: db.tableName, Key: key('32') }));
    expect(Item?.deep).toEqual(nested(32));
    await expect(
      db.client.send(
        new PutItemCommand({ TableName: db.tableName, Item: { ...key('33'), deep: nested(33) } }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Nesting Levels have exceeded supported limits',
    });
  });

  it('refuses a 10 MiB FilterExpression at once, naming it and its size, and keeps serving', async () => {
    const filter = `attribute_exists(pk)${' OR attribute_exists(pk)'.repeat(10 * 1024 * 44)}`;
    const answer = await rawCall(
      'Scan',
      JSON.stringify({ TableName: db.tableName, FilterExpression: filter }),
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: `Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: ${filter.length}`,
    });
    await stillServes();
  });

  it('takes an expression of 4,096 bytes and refuses one of 4,097', async () => {
    const clause = 'attribute_exists(pk)';
    const filterOf = (bytes: number) => {
      let text = clause;
      while (text.length + ' OR '.length + clause.length <= bytes) text += ` OR ${clause}`;
      return text + ' '.repeat(bytes - text.length);
    };
    const atLimit = filterOf(4096);
    expect(atLimit).toHaveLength(4096);
    const scan = await db.client.send(
      new ScanCommand({ TableName: db.tableName, FilterExpression: atLimit }),
    );
    expect(scan.$metadata.httpStatusCode).toBe(200);
    await expect(
      db.client.send(new ScanCommand({ TableName: db.tableName, FilterExpression: `${atLimit} ` })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^Invalid FilterExpression: Expression size has exceeded .* 4097$/),
    });
  });

  it('answers a body that is JSON but not an object with a SerializationException, as DynamoDB does', async () => {
    for (const text of ['null', '42', '[]', '"PutItem"']) {
      const answer = await rawCall('PutItem', text);
      expect(answer.status, text).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
    }
    await stillServes();
  });

  it('answers a body over 16 MB with 413 and nothing else', async () => {
    const answer = await rawCall('PutItem', `{"TableName":"${'x'.repeat(16 * 1024 * 1024)}"}`);
    expect(answer).toEqual({ status: 413, body: '' });
    await stillServes();
  });
});
