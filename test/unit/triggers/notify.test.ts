/**
 * The workflow's notifier: EventBridge first and its failure fails the step;
 * SNS for approvals and endings only; the release's webhook for every event;
 * whatever SNS and the webhook do is recorded and never thrown.
 */
import { describe, expect, it } from 'vitest';
import type { WebhookDeliveryOutcome } from '../../../lib/adapters/webhook-notifier.js';
import { UpstreamError } from '../../../lib/domain/errors.js';
import type { AnyNotificationEvent } from '../../../lib/domain/notifications.js';
import type { NotificationOutcome, Release, ReleaseWithWaves } from '../../../lib/domain/release.js';
import { releaseNotifier } from '../../../lib/workflow/notify.js';
import { releaseStarted, releaseSucceeded } from '../../../lib/workflow/release-events.js';
import { useQuietEnv } from '../../support/quiet-env.js';

const AT = '2026-01-01T00:00:00.000Z';

// The notifier logs what it could not deliver; the logger reads the configuration.
useQuietEnv();

function release(webhookUrl?: string): Release {
  return {
    releaseId: 'r1',
    jobTemplateId: 'fw',
    waves: [
      {
        targets: { things: ['t1'] },
        successThresholdPercent: 100,
        failureThresholdPercent: 10,
        minExecutedThings: 1,
        timeoutMinutes: 60,
        bakeTimeMinutes: 0,
        requireApproval: false,
      },
    ],
    ...(webhookUrl && { notify: { webhookUrl } }),
    status: 'SUCCEEDED',
    version: 3,
    requestHash: 'h',
    createdAt: AT,
    updatedAt: AT,
  };
}

function setup(options: { webhookUrl?: string; sns?: 'ok' | 'fail'; events?: 'ok' | 'fail' } = {}) {
  const sent: string[] = [];
  const recorded: NotificationOutcome[] = [];
  const notifier = releaseNotifier({
    events: {
      publish: async (e) => {
        if (options.events === 'fail')
          throw new UpstreamError('EventBridge refused', 'PutEventsFailedEntries');
        sent.push(`events:${e.detailType}`);
      },
    },
    people: {
      notify: async (e) => {
        if (options.sns === 'fail') throw new UpstreamError('Amazon SNS call failed.', 'NotFound');
        sent.push(`sns:${e.detailType}`);
        return { messageId: 'm-1' };
      },
    },
    webhook: {
      deliver: async (url, e): Promise<WebhookDeliveryOutcome> => {
        sent.push(`webhook:${e.detailType}:${url}`);
        return {
          delivered: false,
          attempts: 5,
          lastStatus: 503,
          error: 'HTTP 503; gave up after 5 attempts',
          deliveryId: 'd-1',
        };
      },
    },
    releases: {
      getRelease: async (): Promise<ReleaseWithWaves> => ({
        release: release(options.webhookUrl),
        waves: [],
      }),
    },
    history: { recordNotification: async (_id, outcome) => void recorded.push(outcome) },
  });
  return { notifier, sent, recorded };
}

const started = (): AnyNotificationEvent => releaseStarted(release(), AT);
const succeeded = (): AnyNotificationEvent => releaseSucceeded(release(), AT, AT) as AnyNotificationEvent;

describe('release notifier', () => {
  it('tells people only about approvals and endings', async () => {
    const { notifier, sent, recorded } = setup();
    await notifier.publish(started());
    await notifier.publish(succeeded());
    expect(sent).toEqual(['events:Release Started', 'events:Release Succeeded', 'sns:Release Succeeded']);
    expect(recorded).toEqual([
      {
        channel: 'sns',
        detailType: 'Release Succeeded',
        notificationId: 'r1/release-succeeded',
        delivered: true,
        deliveryId: 'm-1',
      },
    ]);
  });

  it('records a failed SNS publish and does not throw', async () => {
    const { notifier, recorded } = setup({ sns: 'fail' });
    await expect(notifier.publish(succeeded())).resolves.toBeUndefined();
    expect(recorded).toEqual([
      expect.objectContaining({
        channel: 'sns',
        delivered: false,
        error: 'UpstreamError: Amazon SNS call failed.',
      }),
    ]);
  });

  it('delivers every event to the release webhook and records the outcome as given', async () => {
    const { notifier, sent, recorded } = setup({ webhookUrl: 'https://ci.example.com/hook' });
    await notifier.publish(started());
    expect(sent).toContain('webhook:Release Started:https://ci.example.com/hook');
    expect(recorded).toEqual([
      {
        channel: 'webhook',
        detailType: 'Release Started',
        notificationId: 'r1/release-started',
        delivered: false,
        attempts: 5,
        lastStatus: 503,
        deliveryId: 'd-1',
        error: 'HTTP 503; gave up after 5 attempts',
      },
    ]);
  });

  it('fails the step when EventBridge refuses, before telling anyone else', async () => {
    const { notifier, sent, recorded } = setup({ events: 'fail', webhookUrl: 'https://ci.example.com/hook' });
    await expect(notifier.publish(succeeded())).rejects.toThrow('EventBridge refused');
    expect(sent).toEqual([]);
    expect(recorded).toEqual([]);
  });
});
