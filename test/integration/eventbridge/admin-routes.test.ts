/**
 * The EventBridge admin routes mounted on the IoT emulator's `/_fleetwave/`
 * surface, next to the EventBridge service, on one endpoint: how the local
 * stack wires them.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

interface ListedEvent {
  id: string;
  source: string;
  'detail-type': string;
  eventBusName: string;
  detail: { n?: number; releaseId?: string };
}

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
});

afterAll(async () => {
  client.destroy();
  clock.stop();
  await endpoint.close();
});

const get = (path: string) => endpoint.getJson(path);

const list = async (query: string) => {
  const { status, body } = await get(`/_fleetwave/events${query}`);
  expect(status).toBe(200);
  return body as { events: ListedEvent[]; nextToken?: string };
};

/** Puts `count` numbered events (`detail.n` from `from`) with the SDK, one call per 10. */
async function putNumbered(from: number, count: number, source = 'test.paging'): Promise<void> {
  for (let start = 0; start < count; start += 10) {
    const entries = Array.from({ length: Math.min(10, count - start) }, (_, i) => ({
      Source: source,
      DetailType: 'Numbered',
      Detail: JSON.stringify({ n: from + start + i }),
    }));
    await client.send(new PutEventsCommand({ Entries: entries }));
  }
}

describe('GET /_fleetwave/events', () => {
  beforeEach(async () => {
    events.clearRecorded();
    const detail = JSON.stringify({ releaseId: 'r1' });
    await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'fleetwave', DetailType: 'Release Started', Detail: detail },
          { Source: 'fleetwave', DetailType: 'Release Failed', Detail: detail },
          { Source: 'ci.pipeline', DetailType: 'Release Requested', Detail: detail, EventBusName: 'ci' },
        ],
      }),
    );
    await events.idle();
  });

  it('lists events newest first, each an EventBridge event with its bus', async () => {
    const { events: all, nextToken } = await list('');
    expect(nextToken).toBeUndefined();
    expect(all.map((e) => e['detail-type'])).toEqual([
      'Release Requested',
      'Release Failed',
      'Release Started',
    ]);
    expect(all[0]).toMatchObject({
      version: '0',
      source: 'ci.pipeline',
      account: '000000000000',
      region: 'us-east-1',
      time: '2026-01-01T00:00:00Z',
      resources: [],
      detail: { releaseId: 'r1' },
      eventBusName: 'ci',
    });
    expect(all[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('filters by detail-type (or its older spelling detailType), source and bus', async () => {
    const byType = await list('?detail-type=Release%20Failed');
    expect(byType.events.map((e) => e['detail-type'])).toEqual(['Release Failed']);
    const byAlias = await list('?source=fleetwave&detailType=Release%20Started');
    expect(byAlias.events.map((e) => e['detail-type'])).toEqual(['Release Started']);
    const bySource = await list('?source=fleetwave');
    expect(bySource.events.map((e) => e['detail-type'])).toEqual(['Release Failed', 'Release Started']);
    const byBus = await list('?eventBusName=ci');
    expect(byBus.events.map((e) => e.source)).toEqual(['ci.pipeline']);
    expect((await list('?source=nobody')).events).toEqual([]);
  });

  it('pages 50 by default and stops with no nextToken on the last page', async () => {
    events.clearRecorded();
    await putNumbered(0, 60);
    const first = await list('');
    expect(first.events).toHaveLength(50);
    expect(first.events[0]?.detail.n).toBe(59);
    const second = await list(`?nextToken=${first.nextToken}`);
    expect(second.events.map((e) => e.detail.n)).toEqual(Array.from({ length: 10 }, (_, i) => 9 - i));
    expect(second.nextToken).toBeUndefined();
  });

  it('keeps pages stable while new events arrive between them', async () => {
    events.clearRecorded();
    await putNumbered(0, 25);
    const seen: number[] = [];
    let token: string | undefined;
    let added = 100;
    do {
      const page = await list(`?maxResults=7${token ? `&nextToken=${token}` : ''}`);
      seen.push(...page.events.map((e) => e.detail.n ?? -1));
      token = page.nextToken;
      // Newer events land between every two pages: they must neither show up nor shift what follows.
      await putNumbered(added, 3);
      added += 3;
    } while (token !== undefined);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
  });

  it('pages a filtered list while other events are put at the same time', async () => {
    events.clearRecorded();
    await putNumbered(0, 30, 'wanted');
    const pages = (async () => {
      const seen: number[] = [];
      let token: string | undefined;
      do {
        const page = await list(`?source=wanted&maxResults=4${token ? `&nextToken=${token}` : ''}`);
        seen.push(...page.events.map((e) => e.detail.n ?? -1));
        token = page.nextToken;
      } while (token !== undefined);
      return seen;
    })();
    const [seen] = await Promise.all([pages, putNumbered(1000, 40, 'noise'), putNumbered(500, 20, 'wanted')]);
    // Each of the first 30 exactly once, in order; of the concurrent ones only those put before the first page.
    const original = seen.filter((n) => n < 30);
    expect(original).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
    expect(new Set(seen).size).toBe(seen.length);
    // The concurrent ones that show are those recorded before the first page was read: the first of
    // them, newest first, ahead of the original 30; none put after it may slip in.
    const concurrent = seen.filter((n) => n >= 500);
    expect(seen.slice(0, concurrent.length)).toEqual(concurrent);
    expect(concurrent).toEqual(
      Array.from({ length: concurrent.length }, (_, i) => 500 + concurrent.length - 1 - i),
    );
  });

  it.each([
    ['?maxResults=0', /maxResults must be an integer from 1 to 100 \(got '0'\)/],
    ['?maxResults=101', /maxResults must be an integer from 1 to 100/],
    ['?maxResults=ten', /maxResults must be an integer from 1 to 100 \(got 'ten'\)/],
    ['?nextToken=not-a-token', /nextToken is not valid/],
    [`?nextToken=${Buffer.from('{"before":-4}').toString('base64url')}`, /nextToken is not valid/],
  ])('answers 400 with a message for %s', async (query, message) => {
    const { status, body } = await get(`/_fleetwave/events${query}`);
    expect(status).toBe(400);
    expect(body.message).toMatch(message);
  });
});

describe('the other EventBridge admin routes', () => {
  it('list failed deliveries and dead letters', async () => {
    // Each test of the list above put one Release Failed, which the failing rule took.
    const failures = (await get('/_fleetwave/events/failures')).body.failures as unknown[];
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatchObject({ rule: 'page-on-call', attempt: 1, willRetry: false });
    const deadLetters = (await get('/_fleetwave/events/dead-letters')).body.deadLetters as unknown[];
    expect(deadLetters).toHaveLength(failures.length);
    expect(deadLetters[0]).toMatchObject({ rule: 'page-on-call', reason: 'RETRIES_EXHAUSTED' });
  });

  it('list the rules with their patterns', async () => {
    const { rules } = (await get('/_fleetwave/events/rules')).body;
    expect(rules).toMatchObject([{ name: 'page-on-call', pattern: { source: ['fleetwave'] } }]);
  });
});
