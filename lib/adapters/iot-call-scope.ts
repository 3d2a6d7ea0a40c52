/**
 * Who is calling AWS IoT, and on which clock: set by each Lambda entry point
 * for the length of one invocation, read by the IoT call budget.
 *
 * - `pace`: a workflow task. When its API's budget is spent, the call is
 *   not sent: a slot is reserved and the task ends with `PacedError`, so the
 *   state machine sleeps until the slot (a `Wait`, which costs no Lambda
 *   time) and runs the task again (`resumed`), which spends the reservation.
 *   A resumed task's other calls go at once (and are counted), so a task
 *   waits at most once.
 * - `borrow`: the API and the triggers, whose callers wait for an answer.
 *   Their calls always go, and are counted, so the workflow's later calls
 *   leave room for them.
 *
 * `now` is the wall clock on AWS. On the local stack (`FLEETWAVE_IOT_BUDGET_CLOCK=event`)
 * it is the time the invocation's event carries (the state's entry time, the
 * request's, the EventBridge event's), all virtual there, so the schedule and
 * the emulated IoT's own rate limit count the same seconds.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { config } from '../config.js';

type IotCallMode = 'pace' | 'borrow';

export interface IotCallScope {
  readonly mode: IotCallMode;
  /** Epoch ms on the caller's clock. */
  readonly now: number;
  /** The slots this invocation holds, by API (epoch ms); `pace` mode only. */
  readonly reservations: Map<string, number>;
  /** A task run again after its Pace wait: its calls without a slot go at once. */
  readonly resumed?: boolean;
}

const storage = new AsyncLocalStorage<IotCallScope>();

/** Runs `run` with `scope` as the IoT call scope of everything it calls. */
export function withIotCallScope<T>(scope: IotCallScope, run: () => Promise<T>): Promise<T> {
  return storage.run(scope, run);
}

/** The scope of the invocation in progress; undefined outside an entry point (no budget applies). */
export function currentIotCallScope(): IotCallScope | undefined {
  return storage.getStore();
}

/** The budget's "now" for an invocation whose event says `eventTime` (epoch ms). */
export function budgetNow(eventTime: number): number {
  return config().iotBudgetClock === 'wall' || !Number.isFinite(eventTime) ? Date.now() : eventTime;
}

/** The scope of an API request or a trigger whose event says `eventTime`: calls go at once and are counted. */
export function borrowingScope(eventTime: number): IotCallScope {
  return { mode: 'borrow', now: budgetNow(eventTime), reservations: new Map() };
}
