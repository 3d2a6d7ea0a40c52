/**
 * A workflow task whose IoT call must wait for its turn in the account's
 * budget: the task answers `next: "pace"` with the slot it reserved, the
 * state that reserved it and a Wait timestamp Step Functions honours (whole
 * seconds); that state's first attempt after the wait gets its reservation
 * back, resumed, while a Retry of it or another state handed the same input
 * (a Catch into RecordFailure) does not; the use case never sees the pacing
 * fields; the budget's clock follows FLEETWAVE_IOT_BUDGET_CLOCK. Any other error
 * still fails the task.
 */
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentIotCallScope, type IotCallScope } from '../../../lib/adapters/iot-call-scope.js';
import { resetConfig } from '../../../lib/config.js';
import { PacedError, ThrottledError } from '../../../lib/domain/errors.js';
import type { WorkflowDeps } from '../../../lib/workflow/ports.js';
import { pacedWorkflowTask, waitUntil, workflowTask } from '../../../lib/workflow/task-handler.js';
import { type TaskEvent, taskEventSchema } from '../../../lib/workflow/workflow-state.js';
import { useQuietEnv } from '../../support/quiet-env.js';

const NOW = '2026-01-01T00:00:00.000Z';
const T = Date.parse(NOW);
const LATER = '2026-01-01T00:00:02.040Z';
const context = { functionName: 'fleetwave-test-startWave', awsRequestId: 'req-1' } as Context;
const deps = () => ({}) as WorkflowDeps;
const pacedState = {
  releaseId: 'r1',
  waveNumber: 2,
  next: 'pace' as const,
  pace: { task: 'StartWave', until: '2026-01-01T00:00:02Z', reservations: { CreateJob: T + 1_500 } },
};

/** A task that records what it saw and routes to `poll`. */
function recordingTask() {
  const seen: { event?: TaskEvent; scope?: IotCallScope | undefined } = {};
  const handler = pacedWorkflowTask(
    taskEventSchema,
    async (_deps, event) => {
      seen.event = event;
      seen.scope = currentIotCallScope();
      return { releaseId: event.state.releaseId, next: 'poll' as const };
    },
    deps,
  );
  return { handler, seen };
}

useQuietEnv();

describe('workflow task pacing', () => {
  beforeEach(() => {
    process.env.FLEETWAVE_IOT_BUDGET_CLOCK = 'event';
    resetConfig();
  });
  afterEach(() => {
    delete process.env.FLEETWAVE_IOT_BUDGET_CLOCK;
    resetConfig();
  });

  it('answers next "pace" with the reserved slot and the state that reserved it', async () => {
    const handler = pacedWorkflowTask(
      taskEventSchema,
      async () => {
        currentIotCallScope()?.reservations.set('CreateJob', T + 1_500);
        throw new PacedError('paced', 'CreateJob', T + 1_500);
      },
      deps,
    );
    const state = { releaseId: 'r1', waveNumber: 2, jobTemplateArn: 'arn:t', next: 'start' as const };
    expect(await handler({ state, now: NOW, stateName: 'StartWave', retryCount: 0 }, context)).toEqual({
      ...state,
      next: 'pace',
      pace: { task: 'StartWave', until: '2026-01-01T00:00:02Z', reservations: { CreateJob: T + 1_500 } },
    });
  });

  it("gives the state's first attempt after the wait its reservations, resumed, without the pacing fields", async () => {
    const { handler, seen } = recordingTask();
    const answer = await handler(
      { state: pacedState, now: LATER, stateName: 'StartWave', retryCount: 0 },
      context,
    );
    expect(answer).toEqual({ releaseId: 'r1', next: 'poll' });
    expect(seen.event?.state).not.toHaveProperty('pace');
    expect(seen.scope).toEqual({
      mode: 'pace',
      now: Date.parse(LATER),
      reservations: new Map([['CreateJob', T + 1_500]]),
      resumed: true,
    });
  });

  it.each([
    ['a Retry of that state', 'StartWave', 1],
    ['another state handed the same input (a Catch into RecordFailure)', 'RecordFailure', 0],
  ])('does not spend the reservations again in %s', async (_what, stateName, retryCount) => {
    const { handler, seen } = recordingTask();
    await handler({ state: pacedState, now: LATER, stateName, retryCount }, context);
    expect(seen.scope?.reservations.size).toBe(0);
    expect(seen.scope?.resumed).toBe(false);
  });

  it("reads the wall clock, not the state's entry time, when FLEETWAVE_IOT_BUDGET_CLOCK is wall (AWS)", async () => {
    process.env.FLEETWAVE_IOT_BUDGET_CLOCK = 'wall';
    resetConfig();
    const { handler, seen } = recordingTask();
    const before = Date.now();
    // A retried attempt keeps its state's entry time, long past.
    await handler({ state: { releaseId: 'r1' }, now: NOW, stateName: 'CheckWave', retryCount: 3 }, context);
    expect(seen.scope?.now).toBeGreaterThanOrEqual(before);
    expect(seen.scope?.now).toBeLessThanOrEqual(Date.now());
  });

  it('lets a task whose state has no Pace wait send its IoT calls at once, counted (a borrowing scope)', async () => {
    let scope: IotCallScope | undefined;
    const handler = workflowTask(
      taskEventSchema,
      async (_deps, event) => {
        scope = currentIotCallScope();
        return { releaseId: event.state.releaseId, next: 'succeeded' as const };
      },
      deps,
    );
    await handler({ state: pacedState, now: LATER, stateName: 'FinishRelease', retryCount: 0 }, context);
    expect(scope).toEqual({ mode: 'borrow', now: Date.parse(LATER), reservations: new Map() });
  });

  it('still fails the task on any other error, for the state machine to retry', async () => {
    const handler = pacedWorkflowTask(
      taskEventSchema,
      async () => {
        throw new ThrottledError('AWS IoT is throttling requests. Retry later.', 1);
      },
      deps,
    );
    await expect(handler({ state: { releaseId: 'r1' }, now: NOW }, context)).rejects.toBeInstanceOf(
      ThrottledError,
    );
  });

  it.each([
    [T, '2026-01-01T00:00:00Z'],
    [T + 1, '2026-01-01T00:00:01Z'],
    [T + 999, '2026-01-01T00:00:01Z'],
    [T + 1_000, '2026-01-01T00:00:01Z'],
  ])('waits until the whole second at or after the slot (%i → %s)', (at, until) => {
    expect(waitUntil(at)).toBe(until);
  });
});
