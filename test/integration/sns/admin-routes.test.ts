/** The SNS admin routes on the IoT emulator's `/_fleetwave/` surface, beside the SNS service, on one endpoint. */
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { createIotEmulator } from '../../../local/iot/index.js';
import { createSnsService, type SnsService, snsAdminRoutes } from '../../../local/sns/index.js';
import { type LocalEndpoint, startLocalEndpoint } from '../eventbridge/local-endpoint.js';

const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
let sns: SnsService;
let endpoint: LocalEndpoint;
let client: SNSClient;
let notifications: string;
let audit: string;

interface ListedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  messageAttributes?: Record<string, unknown>;
  timestamp: string;
}

beforeAll(async () => {
  sns = createSnsService({ clock, region: 'us-east-1', accountId: '123456789012' });
  const iot = createIotEmulator({ clock });
  for (const route of snsAdminRoutes(sns)) iot.addAdminRoute(...route);
  endpoint = await startLocalEndpoint([iot, sns]);
  client = new SNSClient(endpoint.clientConfig);
  notifications =
    (await client.send(new CreateTopicCommand({ Name: 'fleetwave-notifications' }))).TopicArn ?? '';
  audit = (await client.send(new CreateTopicCommand({ Name: 'audit' }))).TopicArn ?? '';
});

beforeEach(() => sns.clearMessages());

afterAll(async () => {
  client.destroy();
  clock.stop();
  await endpoint.close();
});

const get = (path: string) => endpoint.getJson(path);

const messages = async (query: string) => {
  const { status, body } = await get(`/_fleetwave/sns/messages${query}`);
  expect(status).toBe(200);
  return body as { messages: ListedMessage[]; nextToken?: string };
};

const publish = (TopicArn: string, Message: string, extra: Partial<{ Subject: string }> = {}) =>
  client.send(new PublishCommand({ TopicArn, Message, ...extra }));

describe('GET /_fleetwave/sns/messages', () => {
  it('lists one topic’s messages newest first, by topic name or ARN', async () => {
    await publish(notifications, 'first', { Subject: 'Release r1 STARTED' });
    await client.send(
      new PublishCommand({
        TopicArn: notifications,
        Message: 'second',
        MessageAttributes: { releaseId: { DataType: 'String', StringValue: 'r1' } },
      }),
    );
    await publish(audit, 'elsewhere');
    const byName = await messages('?topic=fleetwave-notifications');
    expect(byName.messages.map((m) => m.message)).toEqual(['second', 'first']);
    expect(byName.messages[1]).toEqual({
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      topicArn: notifications,
      subject: 'Release r1 STARTED',
      message: 'first',
      timestamp: '2026-01-01T00:00:00.000Z',
      seq: expect.any(Number),
      receivedAt: Date.UTC(2026, 0, 1),
    });
    expect(byName.messages[0]?.messageAttributes).toEqual({
      releaseId: { DataType: 'String', StringValue: 'r1' },
    });
    const byArn = await messages(`?topic=${encodeURIComponent(notifications)}`);
    expect(byArn.messages.map((m) => m.message)).toEqual(['second', 'first']);
    const all = await messages('');
    expect(all.messages.map((m) => m.message)).toEqual(['elsewhere', 'second', 'first']);
  });

  it('pages with a nextToken that new messages do not shift', async () => {
    for (let i = 0; i < 9; i++) await publish(notifications, `m${i}`);
    const seen: string[] = [];
    let token: string | undefined;
    let extra = 0;
    do {
      const page = await messages(
        `?topic=fleetwave-notifications&maxResults=4${token ? `&nextToken=${token}` : ''}`,
      );
      seen.push(...page.messages.map((m) => m.message));
      token = page.nextToken;
      await publish(notifications, `new${extra++}`);
    } while (token !== undefined);
    expect(seen).toEqual(['m8', 'm7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('answers 404 naming the known topics for an unknown topic', async () => {
    const { status, body } = await get('/_fleetwave/sns/messages?topic=nope');
    expect(status).toBe(404);
    expect(body.message).toBe(
      "No topic named 'nope' in the local SNS. Topics: fleetwave-notifications, audit.",
    );
  });

  it.each([
    ['?maxResults=500', /maxResults must be an integer from 1 to 100/],
    ['?nextToken=%%%', /nextToken is not valid/],
  ])('answers 400 for %s', async (query, message) => {
    const { status, body } = await get(`/_fleetwave/sns/messages${query}`);
    expect(status).toBe(400);
    expect(body.message).toMatch(message);
  });
});

describe('GET /_fleetwave/sns/topics', () => {
  it('lists topics with how many of their messages are kept', async () => {
    await publish(notifications, 'a');
    await publish(notifications, 'b');
    const { status, body } = await get('/_fleetwave/sns/topics');
    expect(status).toBe(200);
    expect(body.topics).toEqual([
      { name: 'fleetwave-notifications', topicArn: notifications, messages: 2 },
      { name: 'audit', topicArn: audit, messages: 0 },
    ]);
  });
});
