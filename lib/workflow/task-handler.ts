/**
 * The shape of every workflow Lambda: parse the task event with zod, run
 * one use case with the process's dependencies, return the next state. No
 * try/catch: whatever the use case throws reaches Step Functions, whose
 * Retry and Catch match the error's `name` (a domain error name, or a
 * Lambda error). Each invocation logs one line with the release, wave and
 * outcome, so a release can be followed across tasks in the logs.
 *
 * The one error that is not thrown on, in a task built with
 * {@link pacedWorkflowTask}: {@link PacedError}, an IoT call that must wait
 * for its turn in the account's budget. The task answers `next: "pace"` with
 * the slots it reserved; the machine sleeps in a `Wait` until then and runs
 * the task again (tasks are idempotent, as for any retry).
 *
 * An output that goes to the approval gate or the hold carries how long
 * that waits (`gateTimeoutSeconds`, cut at the release's end time).
 */
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import {
  borrowingScope,
  budgetNow,
  type IotCallScope,
  withIotCallScope,
} from '../adapters/iot-call-scope.js';
import { PacedError, ValidationError } from '../domain/errors.js';
import { logger } from '../logger.js';
import { invocationMetrics, withInvocationMetrics } from '../metrics/invocation-metrics.js';
import { workflowDeps } from './deps.js';
import { PacedAfterProgress } from './errors.js';
import { withGateTimeout } from './gate-timeout.js';
import type { WorkflowDeps } from './ports.js';
import type { WorkflowState } from './workflow-state.js';

/** A workflow Lambda entry point. */
export type WorkflowTaskHandler<R> = (event: unknown, context: Context) => Promise<R>;

/** What a task event must carry for the wrapper: the state (with its reserved slots) and the entry time. */
type TaskEventShape = {
  state: Pick<WorkflowState, 'releaseId' | 'waveNumber' | 'pace'>;
  now: string;
  stateName?: string | undefined;
  retryCount?: number | undefined;
};

/** The state a paced task answers: its own input, sent to its `Pace…` state to wait for `until`. */
export type PacedState<E extends TaskEventShape> = E['state'] &
  Required<Pick<WorkflowState, 'pace'>> & { next: 'pace' };

/**
 * The `Wait` timestamp for a slot: the next whole second, written without
 * milliseconds. Step Functions truncates a timestamp's milliseconds, so a
 * wait for 12:00:00.500 would end before the slot opens.
 */
export function waitUntil(at: number): string {
  return new Date(Math.ceil(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Builds the handler of a workflow task whose state can wait for an IoT
 * call budget slot (its `After…` Choice routes `pace` to its own `Pace…`
 * Wait): an IoT jobs call over the budget ends the task with `next: "pace"`.
 */
export function pacedWorkflowTask<E extends TaskEventShape, R>(
  schema: z.ZodType<E>,
  useCase: (deps: WorkflowDeps, event: E) => Promise<R>,
  deps: () => WorkflowDeps = workflowDeps,
): WorkflowTaskHandler<R | PacedState<E>> {
  return buildTask(schema, useCase, deps, true);
}

/**
 * Builds the handler of a workflow task from its event schema and its use
 * case. Its state has no `Pace…` Wait, so IoT jobs calls it may make go at
 * once and are counted in the budget, never answered with `pace`.
 */
export function workflowTask<E extends TaskEventShape, R>(
  schema: z.ZodType<E>,
  useCase: (deps: WorkflowDeps, event: E) => Promise<R>,
  deps: () => WorkflowDeps = workflowDeps,
): WorkflowTaskHandler<R> {
  return buildTask(schema, useCase, deps, false) as WorkflowTaskHandler<R>;
}

function buildTask<E extends TaskEventShape, R>(
  schema: z.ZodType<E>,
  useCase: (deps: WorkflowDeps, event: E) => Promise<R>,
  deps: () => WorkflowDeps,
  paced: boolean,
): WorkflowTaskHandler<R | PacedState<E>> {
  // The metrics a task adds are written when it ends, also when it throws (invocation-metrics.ts).
  return (event, context) => withInvocationMetrics(() => runTask(event, context));
  async function runTask(event: unknown, context: Context): Promise<R | PacedState<E>> {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      throw ValidationError.fromZod('The workflow task received a malformed event.', parsed.error);
    }
    const { pace, ...state } = parsed.data.state;
    const { releaseId, waveNumber } = state;
    const log = logger();
    const keys = { releaseId, waveNumber, task: context.functionName, awsRequestId: context.awsRequestId };
    const { stateName, retryCount = 0 } = parsed.data;
    // Slots are spent by the state that reserved them, on its first attempt after the wait: a Retry
    // (same input) or a Catch handing the input to RecordFailure must not send those calls again.
    const held = paced && pace && pace.task === stateName && retryCount === 0 ? pace.reservations : {};
    // Not the state's entry time on AWS: a retried attempt keeps its state's, minutes old.
    const now = budgetNow(Date.parse(parsed.data.now));
    const scope: IotCallScope = paced
      ? {
          mode: 'pace',
          now,
          reservations: new Map(Object.entries(held)),
          resumed: Object.keys(held).length > 0,
        }
      : borrowingScope(Date.parse(parsed.data.now));
    try {
      const result = withGateTimeout(
        await withIotCallScope(scope, () => useCase(deps(), { ...parsed.data, state })),
        Date.parse(parsed.data.now),
      );
      log.info('workflow task done', { ...keys, next: (result as { next?: unknown } | undefined)?.next });
      return result;
    } catch (error) {
      if (error instanceof PacedError) {
        const until = waitUntil(error.at);
        log.info('workflow task paced', { ...keys, api: error.api, until });
        // One wait, however many calls in flight reserved a slot (gather-targets sends several at once).
        const properties = { api: error.api };
        invocationMetrics.add('IotCallBudgetWaits', 1, { properties });
        invocationMetrics.add('IotCallBudgetWaitTime', Math.max(0, error.at - now), { properties });
        const reservations = Object.fromEntries(scope.reservations);
        // A task that got part of its work done waits from where it stands, not from its input.
        const from = error instanceof PacedAfterProgress ? (error.state as typeof state) : state;
        return {
          ...from,
          next: 'pace',
          pace: { ...(stateName && { task: stateName }), until, reservations },
        };
      }
      log.warn('workflow task failed', {
        ...keys,
        error: error instanceof Error ? error.name : String(error),
      });
      throw error;
    }
  }
}
