/**
 * A workflow task whose IoT call must wait for its turn in the account's
 * budget: the task answers `next: "pace"` with the slot it reserved and a
 * Wait timestamp Step Functions honours (whole seconds), and the task run
 * again gets its reservation back, on the state's own clock, while the use
 * case never sees the pacing fields. Any other error still fails the task.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { currentIotCallScope, type IotCallScope } from '../../../lib/adapters/iot-call-scope.js';
import { PacedError, ThrottledError } from '../../../lib/domain/errors.js';
import type { WorkflowDeps } from '../../../lib/workflow/ports.js';
import { waitUntil, workflowTask } from '../../../lib/workflow/task-handler.js';
import { type TaskEvent, taskEventSchema } from '../../../lib/workflow/workflow-state.js';
import { useQuietEnv } from '../http/quiet-env.js';

const NOW = '2026-01-01T00:00:00.000Z';
const T = Date.parse(NOW);
const context = { functionName: 'fleetwave-test-startWave', awsRequestId: 'req-1' } as Context;
const deps = () => ({}) as WorkflowDeps;

useQuietEnv();

describe('workflow task pacing', () => {
  it('answers next "pace" with the reserved slot when the IoT call budget is spent', async () => {
    const handler = workflowTask(
      taskEventSchema,
      async () => {
        currentIotCallScope()?.reservations.set('CreateJob', T + 1_500);
        throw new PacedError('paced', 'CreateJob', T + 1_500);
      },
      deps,
    );
    const state = { releaseId: 'r1', waveNumber: 2, jobTemplateArn: 'arn:t', next: 'start' as const };
    expect(await handler({ state, now: NOW }, context)).toEqual({
      ...state,
      next: 'pace',
      pace: { until: '2026-01-01T00:00:02Z', reservations: { CreateJob: T + 1_500 } },
    });
  });

  it('runs the task again with its reservations, on the state clock, without the pacing fields', async () => {
    let seen: { event: TaskEvent; scope: IotCallScope | undefined } | undefined;
    const handler = workflowTask(
      taskEventSchema,
      async (_deps, event) => {
        seen = { event, scope: currentIotCallScope() };
        return { releaseId: event.state.releaseId, next: 'poll' as const };
      },
      deps,
    );
    const later = '2026-01-01T00:00:02.040Z';
    const state = {
      releaseId: 'r1',
      waveNumber: 2,
      next: 'pace' as const,
      pace: { until: '2026-01-01T00:00:02Z', reservations: { CreateJob: T + 1_500 } },
    };
    expect(await handler({ state, now: later }, context)).toEqual({ releaseId: 'r1', next: 'poll' });
    expect(seen?.event.state).not.toHaveProperty('pace');
    expect(seen?.scope).toEqual({
      mode: 'pace',
      now: Date.parse(later),
      reservations: new Map([['CreateJob', T + 1_500]]),
    });
  });

  it('still fails the task on any other error, for the state machine to retry', async () => {
    const handler = workflowTask(
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
