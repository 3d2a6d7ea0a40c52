/** SnsNotifier end to end: the real SNS client against the local SNS. */
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../../lib/adapters/sns-notifier.js';
import { notificationText } from '../../../lib/domain/notification-text.js';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { createSnsService, type SnsService } from '../../../local/sns/index.js';
import { sampleNotification } from '../../unit/notifications/fixtures.js';
import { type LocalEndpoint, startLocalEndpoint } from '../eventbridge/local-endpoint.js';

const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
let sns: SnsService;
let endpoint: LocalEndpoint;
let client: SNSClient;
let topicArn: string;

beforeAll(async () => {
  sns = createSnsService({ clock, accountId: '123456789012' });
  topicArn = sns.createTopic('fleetwave-notifications');
  endpoint = await startLocalEndpoint([sns]);
  client = new SNSClient(endpoint.clientConfig);
});

afterAll(async () => {
  client.destroy();
  clock.stop();
  await endpoint.close();
});

describe('SnsNotifier against the local SNS', () => {
  it('publishes the subject, the readable message and filterable attributes of an event', async () => {
    const notifier = new SnsNotifier(client, { topicArn, throttleRetryAfterSeconds: 1 });
    const event = sampleNotification('Wave Failed');
    const { messageId } = await notifier.notify(event);
    const text = notificationText(event);
    expect(sns.messages({ topicArn })).toEqual([
      {
        messageId,
        topicArn,
        subject: text.subject,
        message: text.body,
        messageAttributes: {
          source: { DataType: 'String', StringValue: 'fleetwave' },
          detailType: { DataType: 'String', StringValue: 'Wave Failed' },
          releaseId: { DataType: 'String', StringValue: 'fw-2-4-0' },
          notificationId: { DataType: 'String', StringValue: 'fw-2-4-0/wave-failed/w02' },
          waveNumber: { DataType: 'Number', StringValue: '2' },
        },
        publishedAt: Date.UTC(2026, 0, 1),
      },
    ]);
  });

  it('makes any subject acceptable to SNS: one ASCII line of at most 100 characters', async () => {
    const notifier = new SnsNotifier(client, { topicArn, throttleRetryAfterSeconds: 1 });
    await notifier.publish({ subject: `Déploiement\nterminé ${'x'.repeat(200)}`, message: 'body' });
    const subject = sns.messages().at(-1)?.subject ?? '';
    expect(subject).toHaveLength(100);
    expect(subject.startsWith('D?ploiement termin? x')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('reports a topic that does not exist as UpstreamError', async () => {
    const notifier = new SnsNotifier(client, {
      topicArn: 'arn:aws:sns:us-east-1:123456789012:deleted',
      throttleRetryAfterSeconds: 1,
    });
    await expect(notifier.notify(sampleNotification('Release Succeeded'))).rejects.toMatchObject({
      name: 'UpstreamError',
      upstreamName: 'NotFoundException',
    });
  });
});
