/**
 * EventPublisher end to end: the real EventBridge client against the local
 * EventBridge, the events recorded on the configured bus and routed to a
 * rule written against the documented detail shapes.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventPublisher } from '../../../lib/adapters/event-publisher.js';
import { notificationDetailTypes, parseNotification } from '../../../lib/domain/notifications.js';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import {
  createEventBridgeService,
  type EventBridgeEvent,
  type EventBridgeService,
} from '../../../local/eventbridge/index.js';
import { sampleNotification } from '../../unit/notifications/fixtures.js';
import { type LocalEndpoint, startLocalEndpoint } from './local-endpoint.js';

const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1, 12), mode: { kind: 'manual' } });
let service: EventBridgeService;
let endpoint: LocalEndpoint;
let client: EventBridgeClient;
const paged: EventBridgeEvent[] = [];

beforeAll(async () => {
  service = createEventBridgeService({ clock, accountId: '123456789012' });
  service.subscribe(
    { source: ['fleetwave'], 'detail-type': [{ suffix: 'Failed' }], detail: { releaseStatus: ['FAILED'] } },
    (event) => void paged.push(event),
    { eventBus: 'fleetwave-releases', name: 'page-on-failure' },
  );
  endpoint = await startLocalEndpoint([service]);
  client = new EventBridgeClient(endpoint.clientConfig);
});

afterAll(async () => {
  client.destroy();
  clock.stop();
  await endpoint.close();
});

describe('EventPublisher against the local EventBridge', () => {
  it('publishes every detail type on the configured bus, readable back as fleetwave events', async () => {
    const publisher = new EventPublisher(client, {
      eventBusName: 'fleetwave-releases',
      throttleRetryAfterSeconds: 1,
    });
    const events = notificationDetailTypes.map((t) => sampleNotification(t));
    const published = await publisher.publishAll(events);
    expect(published).toHaveLength(notificationDetailTypes.length);

    const recorded = service.recorded({ eventBusName: 'fleetwave-releases' });
    expect(recorded.map((r) => r.event.id)).toEqual(published.map((p) => p.eventId));
    for (const [i, { event }] of recorded.entries()) {
      const parsed = parseNotification(event.source, event['detail-type'], event.detail, event.resources);
      expect(parsed?.detail).toEqual(events[i]?.detail);
      expect(event.time).toBe('2026-01-01T10:00:00Z');
    }

    await service.idle();
    expect(paged.map((e) => e['detail-type'])).toEqual(['Wave Failed', 'Release Failed']);
  });

  it('reports a request EventBridge refused as UpstreamError, and nothing is recorded', async () => {
    // A bus whose request limit is tiny stands in for an oversized event, refused with ValidationException.
    const tightService = createEventBridgeService({ clock, maxRequestBytes: 100 });
    const tight = await startLocalEndpoint([tightService]);
    const tightClient = new EventBridgeClient(tight.clientConfig);
    try {
      const publisher = new EventPublisher(tightClient, {
        eventBusName: 'default',
        throttleRetryAfterSeconds: 1,
      });
      await expect(publisher.publish(sampleNotification('Release Started'))).rejects.toMatchObject({
        name: 'UpstreamError',
        upstreamName: 'ValidationException',
      });
      expect(tightService.recorded()).toHaveLength(0);
    } finally {
      tightClient.destroy();
      await tight.close();
    }
  });
});
