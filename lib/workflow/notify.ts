/**
 * The one place the workflow's events leave by: every event the workflow
 * publishes goes through {@link releaseNotifier}, which sends it
 * - to EventBridge (the contract systems build on: a failure here fails the
 *   step, which Step Functions retries; consumers drop the copies);
 * - to people on SNS, for the events that ask something of them or end the
 *   release (an approval request and each terminal event);
 * - to the release's own webhook (`notify.webhookUrl`), signed, retried with
 *   capped backoff.
 * SNS and the webhook are best effort: whatever becomes of them is recorded
 * in the release's history (`NOTIFICATION` entries) and never fails the
 * release, since a chat channel or a receiver that is down must not stop a
 * rollout.
 */
import type { WebhookDeliveryOutcome } from '../adapters/webhook-notifier.js';
import type { AnyNotificationEvent, NotificationDetailType } from '../domain/notifications.js';
import type { NotificationOutcome, ReleaseWithWaves } from '../domain/release.js';
import { logger } from '../logger.js';
import type { Notifier } from './ports.js';

/** The events people are told about on SNS: what needs them, and how a release ended. */
const peopleEventTypes: readonly NotificationDetailType[] = [
  'Release Awaiting Approval',
  'Release Paused',
  'Release Resumed',
  'Release Succeeded',
  'Release Failed',
  'Release Canceled',
  'Rollback Started',
];

/** Where the outcomes go: the release's history. */
interface NotificationHistory {
  recordNotification(releaseId: string, outcome: NotificationOutcome, at?: string): Promise<void>;
}

/** The channels of {@link releaseNotifier}; SNS and the webhook may be absent (not configured). */
export interface NotificationChannels {
  /** EventBridge. @throws ThrottledError, UpstreamError */
  events: Notifier;
  /** SNS. @throws ThrottledError, UpstreamError */
  people?: { notify(event: AnyNotificationEvent): Promise<{ messageId: string }> };
  /** Signed POSTs; never throws. */
  webhook?: { deliver(url: string, event: AnyNotificationEvent): Promise<WebhookDeliveryOutcome> };
  /** Reads the release, for its `notify.webhookUrl`. */
  releases: { getRelease(releaseId: string): Promise<ReleaseWithWaves> };
  history: NotificationHistory;
}

function identity(event: AnyNotificationEvent) {
  return { detailType: event.detailType, notificationId: event.detail.notificationId };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function toPeople(
  people: NonNullable<NotificationChannels['people']>,
  event: AnyNotificationEvent,
): Promise<NotificationOutcome> {
  try {
    const { messageId } = await people.notify(event);
    return { channel: 'sns', ...identity(event), delivered: true, deliveryId: messageId };
  } catch (error) {
    return { channel: 'sns', ...identity(event), delivered: false, error: errorText(error) };
  }
}

async function toWebhook(
  channels: NotificationChannels,
  webhook: NonNullable<NotificationChannels['webhook']>,
  event: AnyNotificationEvent,
): Promise<NotificationOutcome | undefined> {
  let url: string | undefined;
  try {
    url = (await channels.releases.getRelease(event.detail.releaseId)).release.notify?.webhookUrl;
  } catch (error) {
    return {
      channel: 'webhook',
      ...identity(event),
      delivered: false,
      error: `Release not read: ${errorText(error)}`,
    };
  }
  if (url === undefined) return undefined;
  const outcome = await webhook.deliver(url, event);
  return {
    channel: 'webhook',
    ...identity(event),
    delivered: outcome.delivered,
    attempts: outcome.attempts,
    deliveryId: outcome.deliveryId,
    ...(outcome.lastStatus !== undefined && { lastStatus: outcome.lastStatus }),
    ...(outcome.error !== undefined && { error: outcome.error }),
  };
}

/** Records an outcome; a history that cannot be written is logged, and the release goes on. */
async function record(
  history: NotificationHistory,
  event: AnyNotificationEvent,
  outcome: NotificationOutcome,
) {
  const log = logger();
  if (!outcome.delivered)
    log.warn('notification not delivered', { releaseId: event.detail.releaseId, ...outcome });
  try {
    await history.recordNotification(event.detail.releaseId, outcome, event.time);
  } catch (error) {
    log.error('notification outcome not recorded', {
      releaseId: event.detail.releaseId,
      ...outcome,
      cause: errorText(error),
    });
  }
}

/** The workflow's {@link Notifier}: EventBridge first (may throw), then SNS and the webhook (never throw). */
export function releaseNotifier(channels: NotificationChannels): Notifier {
  return {
    async publish(event) {
      await channels.events.publish(event);
      const sends: Promise<NotificationOutcome | undefined>[] = [];
      if (channels.people && peopleEventTypes.includes(event.detailType))
        sends.push(toPeople(channels.people, event));
      if (channels.webhook) sends.push(toWebhook(channels, channels.webhook, event));
      for (const outcome of await Promise.all(sends)) {
        if (outcome) await record(channels.history, event, outcome);
      }
    },
  };
}
