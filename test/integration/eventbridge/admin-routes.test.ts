/**
 * The EventBridge admin routes mounted on the IoT emulator's `/_fleetwave/`
 * surface, next to the EventBridge service, on one endpoint: how the local
 * stack wires them.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import {
  createEventBridgeService,
  type EventBridgeService,
  eventBridgeAdminRoutes,
} from '../../../local/eventbridge/index.js';
import { createIotEmulator } from '../../../local/iot/index.js';
import { type LocalEndpoint, startLocalEndpoint } from './local-endpoint.js';

const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
let events: EventBridgeService;
let endpoint: LocalEndpoint;
let client: EventBridgeClient;

beforeAll(async () => {
  events = createEventBridgeService({ clock, random: () => 1 });
  const iot = createIotEmulator({ clock });
  for (const route of eventBridgeAdminRoutes(events)) iot.addAdminRoute(...route);
  endpoint = await startLocalEndpoint([iot, events]);
  client = new EventBridgeClient(endpoint.clientConfig);
  events.subscribe(
    { source: ['fleetwave'], 'detail-type': ['Release Failed'] },
    () => {
      throw new Error('pager is down');
    },
    { name: 'page-on-call', retryPolicy: { maximumRetryAttempts: 0 } },
  );
  const detail = JSON.stringify({ releaseId: 'r1' });
  await client.send(
    new PutEventsCommand({
      Entries: [
        { Source: 'fleetwave', DetailType: 'Release Started', Detail: detail },
        { Source: 'fleetwave', DetailType: 'Release Failed', Detail: detail },
        { Source: 'ci.pipeline', DetailType: 'Release Requested', Detail: detail },
      ],
    }),
  );
  await events.idle();
});

afterAll(async () => {
  client.destroy();
  clock.stop();
  await endpoint.close();
});

const get = async (path: string) => {
  const res = await fetch(`${endpoint.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown[]>;
};

describe('EventBridge admin routes', () => {
  it('list the recorded events filtered by source and detail type', async () => {
    const { events: all } = await get('/_fleetwave/events');
    expect(all).toHaveLength(3);
    const { events: fleetwave } = await get(
      '/_fleetwave/events?source=fleetwave&detailType=Release%20Failed',
    );
    expect(fleetwave).toMatchObject([
      { eventBusName: 'default', event: { 'detail-type': 'Release Failed' } },
    ]);
  });

  it('list failed deliveries and dead letters', async () => {
    const { failures } = await get('/_fleetwave/events/failures');
    expect(failures).toMatchObject([{ rule: 'page-on-call', attempt: 1, willRetry: false }]);
    const { deadLetters } = await get('/_fleetwave/events/dead-letters');
    expect(deadLetters).toMatchObject([{ rule: 'page-on-call', reason: 'RETRIES_EXHAUSTED' }]);
  });

  it('list the rules with their patterns', async () => {
    const { rules } = await get('/_fleetwave/events/rules');
    expect(rules).toMatchObject([{ name: 'page-on-call', pattern: { source: ['fleetwave'] } }]);
  });
});
