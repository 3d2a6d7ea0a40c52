/**
 * Tells people about a release through SNS: `Publish` to the configured
 * topic, with a short subject (e-mail subscriptions show it), the event's
 * summary and facts as the message, and message attributes subscribers can
 * filter on (`detailType`, `releaseId`, `notificationId`, `waveNumber`).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { type Config, perConfig, requireSetting } from '../config.js';
import { type FleetwaveError, ThrottledError, UpstreamError } from '../domain/errors.js';
import { MAX_SUBJECT_LENGTH, notificationText, truncate } from '../domain/notification-text.js';
import type { AnyNotificationEvent } from '../domain/notifications.js';

/** What the notifier needs from the configuration. */
export interface SnsNotifierConfig {
  topicArn: string;
  /** `Retry-After` seconds when SNS throttles. */
  throttleRetryAfterSeconds: number;
}

/** A message to publish as it is. */
export interface SnsMessage {
  subject: string;
  message: string;
  /** String attributes; numbers are sent as SNS `Number` attributes. */
  attributes?: Record<string, string | number>;
}

/**
 * A subject SNS accepts: printable ASCII on one line (SNS refuses control
 * characters and line breaks; some subscribers mangle non-ASCII), at most
 * 100 characters.
 */
function snsSubject(text: string): string {
  const ascii = text
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return truncate(ascii.length > 0 ? ascii : 'fleetwave notification', MAX_SUBJECT_LENGTH);
}

const THROTTLING = new Set(['ThrottledException', 'ThrottlingException', 'KMSThrottlingException']);

function fromSnsError(error: unknown, retryAfterSeconds: number): FleetwaveError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  if (THROTTLING.has(name))
    return new ThrottledError('Amazon SNS is throttling requests. Retry later.', retryAfterSeconds);
  // NotFound (a topic that is gone) and InvalidParameter are deployment or program faults, not the caller's.
  return new UpstreamError('Amazon SNS call failed.', name);
}

/** Publishes notifications to one SNS topic; every method throws domain errors only. */
export class SnsNotifier {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly config: SnsNotifierConfig,
  ) {}

  /** Publishes the human-readable form of `event`; resolves with SNS's message id. */
  notify(event: AnyNotificationEvent): Promise<{ messageId: string }> {
    const text = notificationText(event);
    const d = event.detail;
    return this.publish({
      subject: text.subject,
      message: text.body,
      attributes: {
        source: event.source,
        detailType: event.detailType,
        releaseId: d.releaseId,
        notificationId: d.notificationId,
        ...('waveNumber' in d && { waveNumber: d.waveNumber }),
      },
    });
  }

  /** Publishes a message as given (subject made SNS-safe). */
  async publish(message: SnsMessage): Promise<{ messageId: string }> {
    const attributes = Object.entries(message.attributes ?? {}).map(([name, value]) => [
      name,
      typeof value === 'number'
        ? { DataType: 'Number', StringValue: String(value) }
        : { DataType: 'String', StringValue: value },
    ]);
    try {
      const out = await this.client.send(
        new PublishCommand({
          TopicArn: this.config.topicArn,
          Subject: snsSubject(message.subject),
          Message: message.message,
          MessageAttributes: Object.fromEntries(attributes),
        }),
      );
      if (!out.MessageId)
        throw new UpstreamError('Amazon SNS answered without a MessageId.', 'MalformedResponse');
      return { messageId: out.MessageId };
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw fromSnsError(error, this.config.throttleRetryAfterSeconds);
    }
  }
}

/** A new SNS client for `config` (endpoint from the SDK's standard variables, standard retries). */
function createSnsClient(config: Config): SNSClient {
  return new SNSClient({ region: config.region, maxAttempts: config.aws.maxAttempts, retryMode: 'standard' });
}

/** The process's notifier, on `FLEETWAVE_NOTIFICATION_TOPIC_ARN` (required when first used). */
export const snsNotifier: () => SnsNotifier = perConfig(
  (config) =>
    new SnsNotifier(createSnsClient(config), {
      topicArn: requireSetting(config, 'notificationTopicArn'),
      throttleRetryAfterSeconds: config.aws.throttleRetryAfterSeconds,
    }),
);
