/**
 * The IoT call budget on the local DynamoDB: concurrent callers get one
 * slot each, an interval apart, in a single schedule per API; a reserved
 * slot is spent without queueing anew; an idle or stale schedule restarts
 * at now; the API's borrowing calls always go but push the workflow's
 * slots on; DynamoDB's own throttling reaches the caller as ThrottledError.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IotCallBudget } from '../../../lib/adapters/iot-call-budget.js';
import type { IotCallScope } from '../../../lib/adapters/iot-call-scope.js';
import { PacedError, ThrottledError } from '../../../lib/domain/errors.js';
import { startTestDynamoDb, type TestDynamoDb } from '../../support/dynamodb.js';
import { useQuietEnv } from '../../support/quiet-env.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const borrowing = (now: number): IotCallScope => ({ mode: 'borrow', now, reservations: new Map() });
const pacing = (now: number, reservations: Record<string, number> = {}): IotCallScope => ({
  mode: 'pace',
  now,
  reservations: new Map(Object.entries(reservations)),
});

/** A budget over a DynamoDB whose every request fails with `errorName`, and how many it was sent. */
function alwaysFailing(errorName: string): { budget: IotCallBudget; sent: () => number } {
  let sent = 0;
  const client = {
    send: async () => {
      sent++;
      throw Object.assign(new Error(`${errorName} (injected)`), { name: errorName });
    },
  } as unknown as DynamoDBDocumentClient;
  const budget = new IotCallBudget(client, {
    tableName: 'unused',
    callsPerSecond: 4,
    throttleRetryAfterSeconds: 2,
  });
  return { budget, sent: () => sent };
}

/** Admits one call; the slot it was given, `now` when it went at once. */
async function slotOf(budget: IotCallBudget, api: string, scope: IotCallScope): Promise<number> {
  try {
    await budget.admit(api, scope);
    return scope.now;
  } catch (error) {
    if (error instanceof PacedError) return error.at;
    throw error;
  }
}

useQuietEnv();

describe('IoT call budget (DynamoDB)', () => {
  let db: TestDynamoDb;
  let budget: (api: string) => { budget: IotCallBudget; api: string };
  let serial = 0;

  beforeAll(async () => {
    db = await startTestDynamoDb();
    const shared = new IotCallBudget(db.documentClient, {
      tableName: db.tableName,
      callsPerSecond: 4,
      throttleRetryAfterSeconds: 2,
    });
    // Each test draws on an API name of its own, so schedules never leak between tests.
    budget = (name) => ({ budget: shared, api: `${name}-${++serial}` });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives 40 concurrent callers 40 distinct slots, 250 ms apart, the first at once', async () => {
    const { budget: b, api } = budget('DescribeJob');
    const slots = await Promise.all(Array.from({ length: 40 }, () => slotOf(b, api, pacing(T0))));
    const sorted = [...slots].sort((x, y) => x - y);
    expect(sorted).toEqual(Array.from({ length: 40 }, (_, i) => T0 + i * 250));
  });

  it('costs one DynamoDB write per call, once the process has seen the schedule busy', async () => {
    let writes = 0;
    const counting = {
      send: (command: unknown) => {
        writes++;
        return (db.documentClient.send as (c: unknown) => Promise<unknown>)(command);
      },
    } as unknown as DynamoDBDocumentClient;
    const b = new IotCallBudget(counting, {
      tableName: db.tableName,
      callsPerSecond: 4,
      throttleRetryAfterSeconds: 2,
    });
    const api = `CreateJob-writes-${++serial}`;
    const slots = [];
    for (let i = 0; i < 10; i++) slots.push(await slotOf(b, api, pacing(T0)));
    expect(slots).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * 250));
    expect(writes).toBe(10);
  });

  it('records the reservation on the scope, and spends it without a new slot once it is due', async () => {
    const { budget: b, api } = budget('CreateJob');
    await b.admit(api, pacing(T0));
    const scope = pacing(T0);
    await expect(b.admit(api, scope)).rejects.toMatchObject({ name: 'PacedError', api, at: T0 + 250 });
    expect(scope.reservations.get(api)).toBe(T0 + 250);

    // Run again before the slot: still paced, for the same slot, and the schedule does not move.
    const early = pacing(T0 + 100, Object.fromEntries(scope.reservations));
    await expect(b.admit(api, early)).rejects.toMatchObject({ at: T0 + 250 });
    // Run again at the slot: goes, and the reservation is spent.
    const due = pacing(T0 + 1000, Object.fromEntries(scope.reservations));
    await b.admit(api, due);
    expect(due.reservations.size).toBe(0);
    // The early run took no slot: the next newcomer at T0 + 1000 finds the schedule idle.
    expect(await slotOf(b, api, pacing(T0 + 1000))).toBe(T0 + 1000);
  });

  it('restarts an idle schedule at now, without counting the time it stood idle as credit', async () => {
    const { budget: b, api } = budget('CancelJob');
    await b.admit(api, pacing(T0));
    const later = T0 + 60_000;
    expect(await slotOf(b, api, pacing(later))).toBe(later);
    expect(await slotOf(b, api, pacing(later))).toBe(later + 250);
  });

  it('restarts a schedule left an hour and more ahead by a clock that went back', async () => {
    const { budget: b, api } = budget('DescribeJobTemplate');
    await b.admit(api, pacing(T0 + 2 * 3_600_000));
    expect(await slotOf(b, api, pacing(T0))).toBe(T0);
  });

  it("lets the API's calls go even when the schedule is busy, and pushes the workflow's next slot on", async () => {
    const { budget: b, api } = budget('DescribeJobTemplate');
    await b.admit(api, pacing(T0));
    for (let i = 0; i < 5; i++) await b.admit(api, borrowing(T0));
    expect(await slotOf(b, api, pacing(T0))).toBe(T0 + 6 * 250);
  });

  it('lets a resumed task spend its slot, and its other calls go at once, counted, so it waits only once', async () => {
    const { budget: b, api } = budget('DescribeJob');
    for (let i = 0; i < 4; i++) await slotOf(b, api, pacing(T0));
    const resumed: IotCallScope = { ...pacing(T0 + 250, { [api]: T0 + 250 }), resumed: true };
    await b.admit(api, resumed);
    await b.admit(api, resumed);
    await b.admit(api, resumed);
    expect(resumed.reservations.size).toBe(0);
    // Four slots taken, then two more counted: the next newcomer's slot is the seventh.
    expect(await slotOf(b, api, pacing(T0))).toBe(T0 + 6 * 250);
  });

  it('lets an API call go, uncounted, when the budget cannot be written', async () => {
    const { budget: b } = alwaysFailing('ProvisionedThroughputExceededException');
    await expect(b.admit('DescribeJobTemplate', borrowing(T0))).resolves.toBeUndefined();
  });

  it('answers ThrottledError when the schedule keeps changing under every attempt', async () => {
    const contended = alwaysFailing('ConditionalCheckFailedException');
    await expect(contended.budget.admit('CreateJob', pacing(T0))).rejects.toMatchObject({
      name: 'ThrottledError',
      retryAfterSeconds: 2,
    });
    expect(contended.sent()).toBe(6);
  });

  it("answers a task's call ThrottledError with the configured Retry-After when DynamoDB throttles the budget", async () => {
    const { budget: b } = alwaysFailing('ProvisionedThroughputExceededException');
    const error = await b.admit('DescribeJob', pacing(T0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ retryAfterSeconds: 2 });
  });
});
