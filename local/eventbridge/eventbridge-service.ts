/**
 * The local EventBridge: an {@link AwsService} answering the JSON 1.1
 * protocol (`X-Amz-Target: AWSEvents.<Op>`) on the shared AWS endpoint.
 * PutEvents validates like AWS, records every accepted event (a bounded
 * log, readable in code and through the admin routes) and routes it to the
 * rules whose patterns match. ListRules and DescribeRule show those rules.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../aws-endpoint/http-io.js';
import type { AwsService } from '../aws-endpoint/router.js';
import {
  type DeadLetter,
  type DeliveryClock,
  type DeliveryFailure,
  EventDelivery,
  type EventTarget,
  type RetryBackoff,
  type SubscribeOptions,
  type Subscription,
} from './delivery.js';
import { EventsError, operationOf, sendError, sendJson, TARGET_PREFIX } from './protocol.js';
import { type EventBridgeEvent, MAX_REQUEST_BYTES, type PutEventsResponse, putEvents } from './put-events.js';
import { RingBuffer } from './ring-buffer.js';
import { describeRule, listRules } from './rules.js';

export interface EventBridgeServiceOptions {
  /** The virtual clock: event times, retry backoff. */
  clock: DeliveryClock;
  /** Defaults to `us-east-1`. */
  region?: string;
  /** Defaults to `000000000000`. */
  accountId?: string;
  /** How many accepted events to keep (oldest forgotten first); 1000 by default. */
  maxRecordedEvents?: number;
  /** Limit on a PutEvents request's summed entry sizes; 256 KB by default. */
  maxRequestBytes?: number;
  retryBackoff?: Partial<RetryBackoff>;
  /** Jitter source of retry backoff. */
  random?: () => number;
  /** Event ids; random UUIDs by default. */
  newEventId?: () => string;
}

/** An event PutEvents accepted. */
export interface RecordedEvent {
  eventBusName: string;
  /** Virtual epoch ms. */
  receivedAt: number;
  event: EventBridgeEvent;
}

export interface RecordedEventFilter {
  source?: string;
  detailType?: string;
  eventBusName?: string;
}

export interface EventBridgeService extends AwsService {
  readonly signingName: 'events';
  readonly targetPrefixes: readonly ['AWSEvents'];
  readonly region: string;
  readonly accountId: string;
  /** Accepted events, oldest first, optionally filtered (exact matches). */
  recorded(filter?: RecordedEventFilter): RecordedEvent[];
  /** Accepted events still kept, oldest first, each with its sequence number (see {@link RingBuffer.sequenced}). */
  sequenced(): { seq: number; item: RecordedEvent }[];
  /** Adds a rule: `target` receives each matching event; see {@link EventDelivery}. Throws ValidationError for a bad pattern. */
  subscribe(pattern: unknown, target: EventTarget, options?: SubscribeOptions): Subscription;
  rules(): Subscription[];
  /** Failed delivery attempts, oldest first (bounded). */
  failures(): DeliveryFailure[];
  /** Events whose target failed every attempt. */
  deadLetters(): DeadLetter[];
  /** Resolves once no target is running. */
  idle(): Promise<void>;
  /** PutEvents in process: same validation, recording and routing as over HTTP; throws an EventsError. */
  putEvents(request: { Entries: unknown[] }): PutEventsResponse;
  /** Forgets the recorded events (rules, failures and dead letters stay). */
  clearRecorded(): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `recorded` has every value `filter` sets (exact matches). */
export function matchesFilter(recorded: RecordedEvent, filter: RecordedEventFilter): boolean {
  return (
    (filter.source === undefined || recorded.event.source === filter.source) &&
    (filter.detailType === undefined || recorded.event['detail-type'] === filter.detailType) &&
    (filter.eventBusName === undefined || recorded.eventBusName === filter.eventBusName)
  );
}

export function createEventBridgeService(options: EventBridgeServiceOptions): EventBridgeService {
  const location = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
  const capacity = options.maxRecordedEvents ?? 1000;
  const log = new RingBuffer<RecordedEvent>(capacity);
  const delivery = new EventDelivery({
    clock: options.clock,
    ...(options.retryBackoff !== undefined && { backoff: options.retryBackoff }),
    ...(options.random !== undefined && { random: options.random }),
  });

  const put = (body: unknown): PutEventsResponse => {
    const now = options.clock.now();
    const { response, accepted } = putEvents(body, {
      now,
      ...location,
      newEventId: options.newEventId ?? randomUUID,
      maxRequestBytes: options.maxRequestBytes ?? MAX_REQUEST_BYTES,
    });
    for (const { eventBusName, event } of accepted) {
      log.push({ eventBusName, receivedAt: now, event });
      delivery.route(eventBusName, event);
    }
    return response;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    PutEvents: put,
    ListRules: (input) => listRules(delivery.list(), input, location),
    DescribeRule: (input) => describeRule(delivery.list(), input, location),
  };

  async function dispatch(req: IncomingMessage): Promise<unknown> {
    const name = operationOf(req);
    const operation = name === undefined ? undefined : operations[name];
    if (req.method !== 'POST' || !operation) {
      throw new EventsError(
        'UnknownOperationException',
        `Unknown operation ${String(req.headers['x-amz-target'])}`,
      );
    }
    const text = await readBody(req);
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new EventsError('SerializationException', 'Unexpected character in the request body');
      }
    }
    if (!isObject(body))
      throw new EventsError('SerializationException', 'Start of structure or map found where not expected');
    return operation(body);
  }

  return {
    signingName: 'events',
    targetPrefixes: [TARGET_PREFIX],
    ...location,
    handle(req: IncomingMessage, res: ServerResponse): void {
      dispatch(req).then(
        (result) => sendJson(res, 200, result),
        (error: unknown) =>
          sendError(
            res,
            error instanceof EventsError
              ? error
              : new EventsError('InternalException', error instanceof Error ? error.message : String(error)),
          ),
      );
    },
    recorded(filter = {}) {
      return log.toArray().filter((r) => matchesFilter(r, filter));
    },
    sequenced: () => log.sequenced(),
    subscribe: (pattern, target, subscribeOptions) => delivery.subscribe(pattern, target, subscribeOptions),
    rules: () => delivery.list(),
    failures: () => delivery.failures(),
    deadLetters: () => delivery.deadLetters(),
    idle: () => delivery.idle(),
    putEvents: (request) => put(request),
    clearRecorded: () => log.clear(),
  };
}
