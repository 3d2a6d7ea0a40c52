/**
 * The local EventBridge through the real `@aws-sdk/client-eventbridge`:
 * PutEvents validation and answers, recording, routing to rules whose
 * patterns match, and retries and dead letters for a failing target.
 */
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import {
  createEventBridgeService,
  type EventBridgeEvent,
  type EventBridgeService,
} from '../../../local/eventbridge/index.js';
import { type LocalEndpoint, startLocalEndpoint } from './local-endpoint.js';

const start = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock = new VirtualClock({ start, mode: { kind: 'manual' } });
let service: EventBridgeService;
let endpoint: LocalEndpoint;
let client: EventBridgeClient;
const subscriptions: { unsubscribe(): void }[] = [];

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'fleetwave',
  DetailType: 'Wave Failed',
  Detail: JSON.stringify({ releaseId: 'r1', waveNumber: 2 }),
  ...overrides,
});

/** Rejects with the SDK error's name, for assertions on error names. */
async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error';
}

beforeAll(async () => {
  service = createEventBridgeService({
    clock,
    region: 'us-east-1',
    accountId: '123456789012',
    random: () => 1,
  });
  endpoint = await startLocalEndpoint([service]);
  client = new EventBridgeClient(endpoint.clientConfig);
});

afterEach(() => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  service.clearRecorded();
});

afterAll(async () => {
  client.destroy();
  clock.stop();
  await endpoint.close();
});

describe('PutEvents', () => {
  it('accepts valid entries, answers their event ids and records the events in the Lambda shape', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [entry({ Resources: ['arn:aws:iot:us-east-1:123456789012:job/r1-w02'] })],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const eventId = out.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    const [recorded] = service.recorded();
    expect(recorded?.event).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'Wave Failed',
      source: 'fleetwave',
      account: '123456789012',
      time: '2026-01-01T12:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:iot:us-east-1:123456789012:job/r1-w02'],
      detail: { releaseId: 'r1', waveNumber: 2 },
    });
    expect(recorded?.eventBusName).toBe('default');
  });

  it("uses an entry's own Time, in whole seconds", async () => {
    await client.send(
      new PutEventsCommand({ Entries: [entry({ Time: new Date('2025-06-30T08:15:42.500Z') })] }),
    );
    expect(service.recorded()[0]?.event.time).toBe('2025-06-30T08:15:42Z');
  });

  it('fails bad entries one by one with their error codes and accepts the rest', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: undefined }),
          entry(),
          entry({ DetailType: undefined }),
          entry({ Detail: '{not json' }),
          entry({ Detail: '["an", "array"]' }),
          entry({ Source: 'aws.iot' }),
          entry({ DetailType: 'x'.repeat(129) }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(6);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'OK')).toEqual([
      'InvalidArgument',
      'OK',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'NotAuthorizedForSourceException',
      'InvalidArgument',
    ]);
    expect(out.Entries?.[0]?.ErrorMessage).toBe(
      'Parameter Source is not valid. Reason: Source is a required argument.',
    );
    expect(out.Entries?.[3]?.ErrorMessage).toBe('Detail is malformed.');
    expect(service.recorded()).toHaveLength(1);
  });

  it('refuses more than 10 entries with ValidationException', async () => {
    const entries = Array.from({ length: 11 }, () => entry());
    expect(await errorName(client.send(new PutEventsCommand({ Entries: entries })))).toBe(
      'ValidationException',
    );
    expect(service.recorded()).toHaveLength(0);
  });

  it('refuses an empty entry list with ValidationException', async () => {
    expect(await errorName(client.send(new PutEventsCommand({ Entries: [] })))).toBe('ValidationException');
  });

  it('refuses a request whose entries add up to more than 256 KB', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(130 * 1024) });
    const request = new PutEventsCommand({ Entries: [entry({ Detail: big }), entry({ Detail: big })] });
    let thrown: Error | undefined;
    try {
      await client.send(request);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.name).toBe('ValidationException');
    expect(thrown?.message).toBe('Total size of the entries in the request is over the limit.');
  });

  it('answers an operation it does not emulate with UnknownOperationException', async () => {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutPartnerEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('routing', () => {
  it('delivers an event to a rule whose pattern matches, and not to one whose pattern does not', async () => {
    const failures: EventBridgeEvent[] = [];
    const successes: EventBridgeEvent[] = [];
    subscriptions.push(
      service.subscribe({ source: ['fleetwave'], 'detail-type': [{ suffix: 'Failed' }] }, (e) => {
        failures.push(e);
      }),
      service.subscribe({ source: ['fleetwave'], 'detail-type': ['Release Succeeded'] }, (e) => {
        successes.push(e);
      }),
    );
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await service.idle();
    expect(failures.map((e) => e['detail-type'])).toEqual(['Wave Failed']);
    expect(failures[0]?.detail).toEqual({ releaseId: 'r1', waveNumber: 2 });
    expect(successes).toEqual([]);
  });

  it('routes only to rules on the bus the event was put on', async () => {
    const onCustom: string[] = [];
    const onDefault: string[] = [];
    subscriptions.push(
      service.subscribe({ source: ['fleetwave'] }, (e) => void onCustom.push(e.id), { eventBus: 'releases' }),
      service.subscribe({ source: ['fleetwave'] }, (e) => void onDefault.push(e.id)),
    );
    const arn = 'arn:aws:events:us-east-1:123456789012:event-bus/releases';
    await client.send(new PutEventsCommand({ Entries: [entry({ EventBusName: arn })] }));
    await service.idle();
    expect(onCustom).toHaveLength(1);
    expect(onDefault).toHaveLength(0);
    expect(service.recorded({ eventBusName: 'releases' })).toHaveLength(1);
  });

  it('does not route entries that failed validation', async () => {
    const seen: string[] = [];
    subscriptions.push(service.subscribe({ source: [{ prefix: '' }] }, (e) => void seen.push(e.id)));
    await client.send(new PutEventsCommand({ Entries: [entry({ Detail: 'oops' })] }));
    await service.idle();
    expect(seen).toEqual([]);
  });

  it('gives each target its own copy of the event', async () => {
    const seen: unknown[] = [];
    subscriptions.push(
      service.subscribe({ source: ['fleetwave'] }, (e) => {
        e.detail.releaseId = 'changed';
      }),
      service.subscribe({ source: ['fleetwave'] }, (e) => void seen.push(e.detail.releaseId)),
    );
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await service.idle();
    expect(seen).toEqual(['r1']);
    expect(service.recorded()[0]?.event.detail.releaseId).toBe('r1');
  });
});

describe('a failing target', () => {
  it('is retried with backoff on the virtual clock, then the event is dead-lettered', async () => {
    let calls = 0;
    subscriptions.push(
      service.subscribe(
        { source: ['fleetwave'] },
        () => {
          calls++;
          throw new Error('target is down');
        },
        { name: 'always-failing' },
      ),
    );
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await service.idle();
    expect(calls).toBe(1);
    const mine = () => service.failures().filter((f) => f.rule === 'always-failing');
    expect(mine()).toMatchObject([{ attempt: 1, willRetry: true, error: { message: 'target is down' } }]);

    // Backoff with jitter fixed at its maximum: 1 s, 2 s, 4 s.
    await clock.advance(999);
    await service.idle();
    expect(calls).toBe(1);
    for (const [pause, expectedCalls] of [
      [1, 2],
      [2000, 3],
      [4000, 4],
    ] as const) {
      await clock.advance(pause);
      await service.idle();
      expect(calls).toBe(expectedCalls);
    }
    expect(mine().map((f) => f.willRetry)).toEqual([true, true, true, false]);
    const dead = service.deadLetters().filter((d) => d.rule === 'always-failing');
    expect(dead).toMatchObject([
      { attempts: 4, reason: 'RETRIES_EXHAUSTED', lastError: { message: 'target is down' } },
    ]);
    expect(dead[0]?.event.source).toBe('fleetwave');
    await clock.advance(60_000);
    expect(calls).toBe(4);
  });

  it('is delivered on a retry once it recovers, and nothing is dead-lettered', async () => {
    let calls = 0;
    subscriptions.push(
      service.subscribe(
        { source: ['fleetwave'] },
        async () => {
          calls++;
          if (calls === 1) throw new Error('cold start failed');
        },
        { name: 'flaky' },
      ),
    );
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await service.idle();
    await clock.advance(1000);
    await service.idle();
    expect(calls).toBe(2);
    expect(service.failures().filter((f) => f.rule === 'flaky')).toHaveLength(1);
    expect(service.deadLetters().filter((d) => d.rule === 'flaky')).toHaveLength(0);
  });

  it('is dead-lettered without retrying once the event is older than the maximum event age', async () => {
    subscriptions.push(
      service.subscribe(
        { source: ['fleetwave'] },
        () => {
          throw new Error('no');
        },
        { name: 'short-lived', retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 2 } },
      ),
    );
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await service.idle();
    await clock.advance(1000);
    await service.idle();
    const dead = service.deadLetters().filter((d) => d.rule === 'short-lived');
    expect(dead).toMatchObject([{ attempts: 2, reason: 'MAXIMUM_EVENT_AGE' }]);
  });
});

describe('ListRules and DescribeRule', () => {
  it('list the subscribed rules with their patterns and describe one', async () => {
    const pattern = { source: ['fleetwave'], 'detail-type': ['Release Failed'] };
    subscriptions.push(
      service.subscribe(pattern, () => undefined, { name: 'fleetwave-local-onReleaseFailed-rule-1' }),
      service.subscribe(pattern, () => undefined, { name: 'other-rule' }),
    );
    const listed = await client.send(new ListRulesCommand({ NamePrefix: 'fleetwave-' }));
    expect(listed.Rules?.map((r) => r.Name)).toEqual(['fleetwave-local-onReleaseFailed-rule-1']);
    const described = await client.send(new DescribeRuleCommand({ Name: 'other-rule' }));
    expect(described).toMatchObject({
      Name: 'other-rule',
      Arn: 'arn:aws:events:us-east-1:123456789012:rule/other-rule',
      State: 'ENABLED',
      EventBusName: 'default',
    });
    expect(JSON.parse(described.EventPattern ?? '')).toEqual(pattern);
  });

  it('pages ListRules with Limit and NextToken', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      subscriptions.push(service.subscribe({ source: ['x'] }, () => undefined, { name }));
    }
    const first = await client.send(new ListRulesCommand({ NamePrefix: 'page-', Limit: 2 }));
    expect(first.Rules?.map((r) => r.Name)).toEqual(['page-a', 'page-b']);
    const second = await client.send(
      new ListRulesCommand({ NamePrefix: 'page-', Limit: 2, NextToken: first.NextToken }),
    );
    expect(second.Rules?.map((r) => r.Name)).toEqual(['page-c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('answers ResourceNotFoundException for an unknown rule', async () => {
    expect(await errorName(client.send(new DescribeRuleCommand({ Name: 'nope' })))).toBe(
      'ResourceNotFoundException',
    );
  });
});
