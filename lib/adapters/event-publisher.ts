/**
 * Publishes release events to EventBridge with `PutEvents`, on the bus the
 * configuration names. PutEvents answers 200 even when entries failed, so
 * the answer is checked entry by entry: a batch with any failed entry is an
 * error (ThrottledError when EventBridge throttled an entry, else
 * UpstreamError), never a silent loss. The caller (a workflow step) is
 * retried; entries that did go through are then published again, which is
 * why every event carries a `notificationId` consumers deduplicate by.
 */
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { type Config, perConfig, requireSetting } from '../config.js';
import { type FleetwaveError, ThrottledError, UpstreamError, ValidationError } from '../domain/errors.js';
import { NOTIFICATION_SOURCE, type NotificationEvent } from '../domain/notifications.js';

/** What the publisher needs from the configuration. */
export interface EventPublisherConfig {
  /** Bus name or ARN. */
  eventBusName: string;
  /** `Retry-After` seconds when EventBridge throttles. */
  throttleRetryAfterSeconds: number;
}

/** One published event. */
export interface PublishedEvent {
  eventId: string;
  notificationId: string;
}

/** PutEvents limits: 10 entries, 256 KB of entries (EventBridge's size rule). */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/** EventBridge's size of an entry: Time 14 bytes, then the UTF-8 bytes of Source, DetailType, Detail, Resources. */
function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (
    (entry.Time ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((n, r) => n + bytes(r), 0)
  );
}

/** Splits entries into PutEvents calls within both limits, keeping their order. */
function batches(entries: PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const out: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const n = entrySize(entry);
    if (n > MAX_BATCH_BYTES)
      throw new ValidationError('A release event is larger than EventBridge accepts (256 KB).');
    if (current.length === MAX_BATCH_ENTRIES || size + n > MAX_BATCH_BYTES) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function fromEventBridgeError(error: unknown, retryAfterSeconds: number): FleetwaveError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  if (name === 'ThrottlingException' || name === 'LimitExceededException') {
    return new ThrottledError('Amazon EventBridge is throttling requests. Retry later.', retryAfterSeconds);
  }
  return new UpstreamError('Amazon EventBridge call failed.', name);
}

/** Publishes {@link NotificationEvent}s; every method throws domain errors only. */
export class EventPublisher {
  constructor(
    private readonly client: Pick<EventBridgeClient, 'send'>,
    private readonly config: EventPublisherConfig,
  ) {}

  /** Publishes one event; resolves with the id EventBridge gave it. */
  async publish(event: NotificationEvent): Promise<PublishedEvent> {
    const [published] = await this.publishAll([event]);
    return published!;
  }

  /** Publishes events in as few PutEvents calls as the limits allow; all or an error. */
  async publishAll(events: readonly NotificationEvent[]): Promise<PublishedEvent[]> {
    return this.putAll(
      events.map((e) => ({ entry: this.entryOf(e), notificationId: e.detail.notificationId })),
    );
  }

  /**
   * Publishes one fleetwave event that is not a release event (a refused
   * release request), on the same bus with the same checks.
   */
  async publishDetail(
    detailType: string,
    detail: { readonly notificationId: string; readonly occurredAt: string },
  ): Promise<PublishedEvent> {
    const entry: PutEventsRequestEntry = {
      EventBusName: this.config.eventBusName,
      Source: NOTIFICATION_SOURCE,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
      Time: new Date(detail.occurredAt),
    };
    const [published] = await this.putAll([{ entry, notificationId: detail.notificationId }]);
    return published!;
  }

  private async putAll(items: readonly { entry: PutEventsRequestEntry; notificationId: string }[]) {
    const published: PublishedEvent[] = [];
    let offset = 0;
    for (const batch of batches(items.map((item) => item.entry))) {
      const results = await this.put(batch);
      const failed: string[] = [];
      let throttled = false;
      batch.forEach((_, i) => {
        const result: PutEventsResultEntry | undefined = results[i];
        const notificationId = items[offset + i]!.notificationId;
        if (result?.EventId && !result.ErrorCode) {
          published.push({ eventId: result.EventId, notificationId });
          return;
        }
        const code = result?.ErrorCode ?? 'MissingResult';
        throttled ||= code === 'ThrottlingException';
        failed.push(`${notificationId}: ${code}${result?.ErrorMessage ? ` (${result.ErrorMessage})` : ''}`);
      });
      if (failed.length > 0) {
        const message = `EventBridge refused ${failed.length} of ${batch.length} events: ${failed.join('; ')}`;
        if (throttled) throw new ThrottledError(message, this.config.throttleRetryAfterSeconds);
        throw new UpstreamError(message, 'PutEventsFailedEntries');
      }
      offset += batch.length;
    }
    return published;
  }

  private entryOf(event: NotificationEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.config.eventBusName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Time: new Date(event.time),
      Resources: [...event.resources],
    };
  }

  private async put(entries: PutEventsRequestEntry[]): Promise<PutEventsResultEntry[]> {
    try {
      const out = await this.client.send(new PutEventsCommand({ Entries: entries }));
      return out.Entries ?? [];
    } catch (error) {
      throw fromEventBridgeError(error, this.config.throttleRetryAfterSeconds);
    }
  }
}

/** The EventBridge client for `config` (endpoint from the SDK's standard variables, standard retries). */
function createEventBridgeClient(config: Config): EventBridgeClient {
  return new EventBridgeClient({
    region: config.region,
    maxAttempts: config.aws.maxAttempts,
    retryMode: 'standard',
  });
}

/** The process's publisher, on `FLEETWAVE_EVENT_BUS_NAME` (required when first used). */
export const eventPublisher: () => EventPublisher = perConfig(
  (config) =>
    new EventPublisher(createEventBridgeClient(config), {
      eventBusName: requireSetting(config, 'eventBusName'),
      throttleRetryAfterSeconds: config.aws.throttleRetryAfterSeconds,
    }),
);
