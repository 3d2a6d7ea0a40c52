/**
 * The IoT call budget's waits are counted by the task that waits, once per
 * wait: a task whose concurrent IoT calls (gather-targets' lookups) each
 * reserve a slot answers `pace` once and counts one `IotCallBudgetWaits`,
 * with `IotCallBudgetWaitTime` from the task's now to the slot it waits for.
 * A task that does not wait counts nothing.
 */
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { currentIotCallScope } from '../../../lib/adapters/iot-call-scope.js';
import { resetConfig } from '../../../lib/config.js';
import { PacedError } from '../../../lib/domain/errors.js';
import type { WorkflowDeps } from '../../../lib/workflow/ports.js';
import { pacedWorkflowTask } from '../../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../../lib/workflow/workflow-state.js';
import { capturedEmf } from '../metrics/emf-lines.js';

const NOW = '2026-01-01T00:00:00.000Z';
const T = Date.parse(NOW);
const context = { functionName: 'fleetwave-test-gatherTargets', awsRequestId: 'req-1' } as Context;
const deps = () => ({}) as WorkflowDeps;
const state = { releaseId: 'r1', waveNumber: 1, next: 'gather' as const };

/** One budgeted call as the budget makes it when its slot is later than now: reserve, then raise. */
async function reservedCall(api: string, slot: number): Promise<never> {
  await Promise.resolve();
  currentIotCallScope()?.reservations.set(api, slot);
  throw new PacedError('paced', api, slot);
}

const emf = capturedEmf();

describe('the IoT call budget waits a task counts', () => {
  beforeEach(() => {
    // The budget reads the event's time here, as on the local stack: NOW is the task's now.
    process.env.FLEETWAVE_IOT_BUDGET_CLOCK = 'event';
    resetConfig();
  });

  it('are one wait, however many concurrent calls reserved a slot, lasting until the slot it waits for', async () => {
    const handler = pacedWorkflowTask(
      taskEventSchema,
      async () => {
        await Promise.all([
          reservedCall('DescribeThingGroup', T + 1_200),
          reservedCall('DescribeThingGroup', T + 1_300),
          reservedCall('DescribeThingGroup', T + 1_400),
        ]);
        return { releaseId: 'r1', next: 'poll' as const };
      },
      deps,
    );
    const answer = await handler({ state, now: NOW, stateName: 'GatherTargets', retryCount: 0 }, context);
    expect(answer).toMatchObject({ next: 'pace', pace: { task: 'GatherTargets' } });
    expect(emf.values('IotCallBudgetWaits')).toEqual([1]);
    expect(emf.values('IotCallBudgetWaitTime')).toEqual([1_200]);
    expect(emf.records().map((r) => r.api)).toEqual(['DescribeThingGroup']);
  });

  it('are none for a task that did not wait', async () => {
    const handler = pacedWorkflowTask(
      taskEventSchema,
      async () => ({ releaseId: 'r1', next: 'poll' as const }),
      deps,
    );
    await handler({ state, now: NOW, stateName: 'GatherTargets', retryCount: 0 }, context);
    expect(emf.lines).toEqual([]);
  });
});
