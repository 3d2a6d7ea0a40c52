/** The local SNS through the real `@aws-sdk/client-sns` (query protocol, XML answers). */
import { CreateTopicCommand, ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { createSnsService, type SnsService } from '../../../local/sns/index.js';
import { type LocalEndpoint, startLocalEndpoint } from '../eventbridge/local-endpoint.js';

const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
let sns: SnsService;
let endpoint: LocalEndpoint;
let client: SNSClient;
let topicArn: string;

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sns = createSnsService({ clock, region: 'us-east-1', accountId: '123456789012' });
  endpoint = await startLocalEndpoint([sns]);
  client = new SNSClient(endpoint.clientConfig);
  topicArn = (await client.send(new CreateTopicCommand({ Name: 'fleetwave-notifications' }))).TopicArn ?? '';
});

afterEach(() => sns.clearMessages());

afterAll(async () => {
  client.destroy();
  clock.stop();
  await endpoint.close();
});

describe('CreateTopic and ListTopics', () => {
  it('creates a topic with its ARN in the account and region', () => {
    expect(topicArn).toBe('arn:aws:sns:us-east-1:123456789012:fleetwave-notifications');
  });

  it('returns the same ARN when the topic already exists', async () => {
    const again = await client.send(new CreateTopicCommand({ Name: 'fleetwave-notifications' }));
    expect(again.TopicArn).toBe(topicArn);
    expect(sns.topics()).toHaveLength(1);
  });

  it('refuses an invalid topic name with InvalidParameterException', async () => {
    const error = await failure(client.send(new CreateTopicCommand({ Name: 'bad name!' })));
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Topic Name',
    });
  });

  it('lists topics 100 per page with NextToken', async () => {
    for (let i = 0; i < 120; i++) await client.send(new CreateTopicCommand({ Name: `page-topic-${i}` }));
    const first = await client.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.Topics?.[0]?.TopicArn).toBe(topicArn);
    const second = await client.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics).toHaveLength(21);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('Publish', () => {
  it('records the message with its subject and attributes and answers its id', async () => {
    const out = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: '[fleetwave] Release r1 failed',
        Message: 'Release r1 failed at wave 2/3: 12 of 100 things failed.',
        MessageAttributes: {
          detailType: { DataType: 'String', StringValue: 'Release Failed' },
          waveNumber: { DataType: 'Number', StringValue: '2' },
        },
      }),
    );
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sns.messages({ topicArn })).toEqual([
      {
        messageId: out.MessageId,
        topicArn,
        subject: '[fleetwave] Release r1 failed',
        message: 'Release r1 failed at wave 2/3: 12 of 100 things failed.',
        messageAttributes: {
          detailType: { DataType: 'String', StringValue: 'Release Failed' },
          waveNumber: { DataType: 'Number', StringValue: '2' },
        },
        publishedAt: Date.UTC(2026, 0, 1),
      },
    ]);
  });

  it('keeps characters XML and form encoding must escape', async () => {
    const message = 'a < b & c > "d" \'e\' + f = g\nsecond line ✓';
    await client.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
    expect(sns.messages()[0]?.message).toBe(message);
  });

  it('answers NotFoundException (HTTP 404) for a topic that does not exist', async () => {
    const error = await failure(
      client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:nope', Message: 'x' })),
    );
    expect(error).toEqual({ name: 'NotFoundException', message: 'Topic does not exist', status: 404 });
    expect(sns.messages()).toHaveLength(0);
  });

  it('accepts a subject of 100 characters and refuses one of 101', async () => {
    await client.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', Subject: 's'.repeat(100) }));
    const error = await failure(
      client.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', Subject: 's'.repeat(101) })),
    );
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Subject',
      status: 400,
    });
  });

  it('refuses a subject with a line break', async () => {
    const error = await failure(
      client.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', Subject: 'a\nb' })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('refuses an empty message and a message over 256 KB', async () => {
    expect(
      (await failure(client.send(new PublishCommand({ TopicArn: topicArn, Message: '' })))).message,
    ).toBe('Invalid parameter: Empty message');
    const big = 'x'.repeat(256 * 1024 + 1);
    expect(
      (await failure(client.send(new PublishCommand({ TopicArn: topicArn, Message: big })))).message,
    ).toBe('Invalid parameter: Message too long');
  });

  it('refuses a JSON message structure without a default entry', async () => {
    const error = await failure(
      client.send(
        new PublishCommand({ TopicArn: topicArn, MessageStructure: 'json', Message: '{"email":"x"}' }),
      ),
    );
    expect(error.message).toBe(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
  });

  it('refuses an attribute of an unknown data type', async () => {
    const error = await failure(
      client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: 'x',
          MessageAttributes: { a: { DataType: 'Date', StringValue: 'today' } },
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValueException');
  });

  it('refuses a malformed topic ARN', async () => {
    const error = await failure(client.send(new PublishCommand({ TopicArn: 'not-an-arn', Message: 'x' })));
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: TopicArn',
    });
  });
});

describe('the query protocol', () => {
  it('answers an unknown action with InvalidAction in an XML error', async () => {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: 'Action=DeleteEverything&Version=2010-03-31',
    });
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(xml).toContain('<Type>Sender</Type>');
  });
});
