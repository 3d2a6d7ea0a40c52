/**
 * Who is calling AWS IoT, and on which clock: set by each Lambda entry point
 * for the length of one invocation, read by the IoT call budget.
 *
 * - `pace`: a workflow task. When its API's budget is spent, the call is
 *   not sent: a slot is reserved and the task ends with `PacedError`, so the
 *   state machine sleeps until the slot (a `Wait`, which costs no Lambda
 *   time) and runs the task again, which spends the reservation.
 * - `borrow`: the API and the triggers, whose callers wait for an answer.
 *   Their calls always go, and are counted, so the workflow's later calls
 *   leave room for them.
 *
 * `now` is the caller's clock: the state's entry time for a task, the
 * request time for the API. On AWS that is the wall clock; on the local stack
 * it is the virtual clock, so the schedule and the emulated IoT's own rate
 * limit count the same seconds.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type IotCallMode = 'pace' | 'borrow';

export interface IotCallScope {
  readonly mode: IotCallMode;
  /** Epoch ms on the caller's clock. */
  readonly now: number;
  /** The slots this invocation holds, by API (epoch ms); `pace` mode only. */
  readonly reservations: Map<string, number>;
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

/** The scope of an API request or a trigger: calls go at once and are counted. */
export function borrowingScope(now: number): IotCallScope {
  return { mode: 'borrow', now, reservations: new Map() };
}
