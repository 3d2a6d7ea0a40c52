/**
 * The IoT call budget: fleetwave's share of AWS IoT's per-account rate for
 * the jobs APIs, kept in the release table so every Lambda of the account
 * draws on one schedule per API (see `lib/domain/call-pacing.ts`).
 *
 * One item per API (`pk = IOTBUDGET#<api>`) holds the time its next call may
 * go. Taking a slot is one conditional UpdateItem: the first restarts an idle
 * (or stale) schedule at now, the second moves a busy one on by an interval
 * and returns where it stands. DynamoDB applies updates to one item one at a
 * time, so two callers never get the same slot.
 */
import type { IoTClient } from '@aws-sdk/client-iot';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callIntervalMs, nextSchedule, STALE_SCHEDULE_MS, slotOf } from '../domain/call-pacing.js';
import { PacedError, ThrottledError } from '../domain/errors.js';
import { logger } from '../logger.js';
import { fromDynamoDbError, isConditionFailed } from './dynamodb-errors.js';
import { currentIotCallScope, type IotCallScope } from './iot-call-scope.js';

/**
 * The IoT APIs whose calls the budget schedules, by SDK command name: the
 * jobs control-plane APIs AWS throttles per account (about 10 per second
 * each), and the registry look-ups the API makes before it stores a release
 * (DescribeThingGroup, DescribeThing: higher AWS rates, counted so that what
 * fleetwave spends of them is on record as the rest is).
 */
export const budgetedIotApis: ReadonlySet<string> = new Set([
  'CreateJob',
  'DescribeJob',
  'CancelJob',
  'ListJobExecutionsForJob',
  'DescribeJobExecution',
  'DescribeJobTemplate',
  'CreateJobTemplate',
  'DeleteJobTemplate',
  'ListJobTemplates',
  'DescribeThingGroup',
  'DescribeThing',
]);

/** The partition key of an API's schedule item; IAM limits the budget's writes to these keys. */
export const budgetKeyPrefix = 'IOTBUDGET#';
const SORT_KEY = 'IOTBUDGET';
const ATTEMPTS = 3;

export interface IotCallBudgetSettings {
  tableName: string;
  /** Calls of each budgeted API per second, at most. */
  callsPerSecond: number;
  /** `Retry-After` seconds when DynamoDB throttles the budget's own writes. */
  throttleRetryAfterSeconds: number;
}

export class IotCallBudget {
  private readonly intervalMs: number;
  /** The schedule of each API as this process last left it: which write to try first. */
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly settings: IotCallBudgetSettings,
  ) {
    this.intervalMs = callIntervalMs(settings.callsPerSecond);
  }

  /**
   * Lets one call of `api` go, or raises {@link PacedError} with the slot
   * reserved for it (`pace` scope only). A slot the scope already holds is
   * spent without asking DynamoDB again; a resumed task's call without one
   * goes at once, counted, so that no task waits twice.
   */
  async admit(api: string, scope: IotCallScope): Promise<void> {
    if (scope.mode === 'borrow' || scope.resumed) {
      if (scope.mode === 'pace' && this.spend(api, scope)) return;
      await this.count(api, scope.now);
      return;
    }
    if (this.spend(api, scope)) return;
    const slot = slotOf(await this.take(api, scope.now), this.intervalMs);
    if (slot <= scope.now) return;
    scope.reservations.set(api, slot);
    // The wait is counted by the task that answers `pace` (lib/workflow/task-handler.ts), once per
    // wait: calls made at the same time each reserve a slot here, but the task waits once.
    throw this.paced(api, slot);
  }

  /** Spends the scope's slot for `api` if it holds one that is due; true when it did. */
  private spend(api: string, scope: IotCallScope): boolean {
    const held = scope.reservations.get(api);
    if (held === undefined) return false;
    if (held > scope.now) throw this.paced(api, held);
    scope.reservations.delete(api);
    return true;
  }

  /**
   * Counts a call that goes whatever the schedule says, so the workflow's
   * next slots leave room for it. A failed write is logged and the call
   * goes: the budget must not fail a request that IoT would answer.
   */
  private async count(api: string, now: number): Promise<void> {
    try {
      await this.take(api, now);
    } catch (error) {
      logger().warn('IoT call budget not updated; the call goes uncounted', {
        api,
        error: error instanceof Error ? error.name : String(error),
      });
    }
  }

  private paced(api: string, at: number): PacedError {
    return new PacedError(
      `${api} calls are paced at ${this.settings.callsPerSecond} per second; this one waits for its slot at ${new Date(at).toISOString()}.`,
      api,
      at,
    );
  }

  private keyOf(api: string) {
    return {
      TableName: this.settings.tableName,
      Key: { pk: `${budgetKeyPrefix}${api}`, sk: SORT_KEY },
      ExpressionAttributeNames: { '#next': 'nextCallAt' },
    };
  }

  /** Moves a busy schedule (from now to an hour ahead) on by one interval, returning where it stands. */
  private moveOn(api: string, now: number): UpdateCommand {
    return new UpdateCommand({
      ...this.keyOf(api),
      UpdateExpression: 'SET #next = #next + :interval',
      ConditionExpression: '#next >= :now AND #next <= :stale',
      ExpressionAttributeValues: {
        ':interval': this.intervalMs,
        ':now': now,
        ':stale': now + STALE_SCHEDULE_MS,
      },
      ReturnValues: 'UPDATED_NEW',
    });
  }

  /**
   * Moves `api`'s schedule on by one call made at `now`; returns the new
   * schedule (epoch ms). The write tried first is the one the schedule this
   * process saw last calls for (busy when it was ahead of now), so a busy
   * schedule costs one write, not a refused one first.
   */
  private async take(api: string, now: number): Promise<number> {
    const restart = async () => {
      const restarted = nextSchedule(undefined, now, this.intervalMs);
      const done = await this.conditionally(() =>
        this.db.send(
          new UpdateCommand({
            ...this.keyOf(api),
            UpdateExpression: 'SET #next = :restarted',
            ConditionExpression: 'attribute_not_exists(#next) OR #next < :now OR #next > :stale',
            ExpressionAttributeValues: {
              ':restarted': restarted,
              ':now': now,
              ':stale': now + STALE_SCHEDULE_MS,
            },
          }),
        ),
      );
      return done ? restarted : undefined;
    };
    const moveOn = async () => {
      const next = (await this.conditionally(() => this.db.send(this.moveOn(api, now))))?.Attributes
        ?.nextCallAt;
      return typeof next === 'number' ? next : undefined;
    };
    const writes =
      (this.lastSeen.get(api) ?? Number.NEGATIVE_INFINITY) > now ? [moveOn, restart] : [restart, moveOn];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      for (const write of writes) {
        const next = await write();
        if (next !== undefined) {
          this.lastSeen.set(api, next);
          return next;
        }
      }
      // Neither condition held: another caller restarted the schedule in between. Look again.
    }
    throw new ThrottledError(
      `The ${api} call budget is contended; retry.`,
      this.settings.throttleRetryAfterSeconds,
    );
  }

  /** The update's answer, or undefined when its condition did not hold. */
  private async conditionally<T>(send: () => Promise<T>): Promise<T | undefined> {
    try {
      return await send();
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw fromDynamoDbError(error, { retryAfterSeconds: this.settings.throttleRetryAfterSeconds });
    }
  }
}

/**
 * Makes every budgeted call `client` sends wait its turn in `budget`, when
 * an entry point has set an IoT call scope. The check sits before the SDK's
 * retries, so a retry of a call AWS throttled anyway is not counted twice.
 */
export function applyIotCallBudget(client: IoTClient, budget: IotCallBudget): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const api = context.commandName?.replace(/Command$/, '');
      const scope = currentIotCallScope();
      if (scope && api && budgetedIotApis.has(api)) await budget.admit(api, scope);
      return next(args);
    },
    { step: 'initialize', name: 'fleetwaveIotCallBudget', override: true },
  );
}
