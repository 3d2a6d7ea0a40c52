import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import {
  functionArn,
  historyOf,
  invokeState,
  resolverOf,
  type SfnHarness,
  startSfnHarness,
  T0,
  typesOf,
  untilHistoryHas,
  untilStatus,
} from '../../support/stepfunctions.js';

describe('time inside executions is virtual', () => {
  let h: SfnHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('holds a max-mode clock while a handler does I/O, so time does not jump past it', async () => {
    h = await startSfnHarness({ mode: { kind: 'max' } });
    const harness = h;
    const seen: Array<[number, number]> = [];
    const { stateMachineArn } = harness.emulator.registerStateMachine({
      name: 'held',
      definition: JSON.stringify({
        StartAt: 'Io',
        States: {
          Io: { ...invokeState('io'), Next: 'Day' },
          Day: { Type: 'Wait', Seconds: 86400, End: true },
        },
      }),
      resolveTask: resolverOf({
        io: async (event) => {
          const before = harness.clock.now();
          // Real I/O takes wall time; an unrelated timer is due meanwhile.
          harness.clock.schedule(before + 10_000, () => undefined);
          await new Promise((resolve) => setTimeout(resolve, 30));
          seen.push([before, harness.clock.now()]);
          return event;
        },
      }),
    });
    harness.clock.start();
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    const done = await untilStatus(harness.client, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(seen).toEqual([[T0, T0]]);
    // The Wait state still took a whole virtual day, instantly.
    expect(done.stopDate!.getTime() - done.startDate!.getTime()).toBe(86_400_000);
  });

  it('gives Task parameters the virtual start and entry times, state name and retry count', async () => {
    h = await startSfnHarness();
    const harness = h;
    const events: unknown[] = [];
    const { stateMachineArn } = harness.emulator.registerStateMachine({
      name: 'context',
      definition: JSON.stringify({
        StartAt: 'Later',
        States: {
          Later: { Type: 'Wait', Seconds: 90, Next: 'Ctx' },
          Ctx: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: {
              FunctionName: functionArn('ctx'),
              Payload: {
                'start.$': '$$.Execution.StartTime',
                'id.$': '$$.Execution.Id',
                'entered.$': '$$.State.EnteredTime',
                'state.$': '$$.State.Name',
                'retry.$': '$$.State.RetryCount',
                'machine.$': '$$.StateMachine.Name',
              },
            },
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
            End: true,
          },
        },
      }),
      resolveTask: resolverOf({
        ctx: async (event) => {
          events.push(event);
          if (events.length === 1) throw new Error('first attempt fails');
          return event;
        },
      }),
    });
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'ctx-1' }),
    );
    await untilHistoryHas(harness.client, executionArn!, 'WaitStateEntered');
    await harness.clock.advance(90_000);
    await untilHistoryHas(harness.client, executionArn!, 'TaskFailed');
    await harness.clock.advance(1000);
    await untilStatus(harness.client, executionArn!, 'SUCCEEDED');
    const common = {
      start: new Date(T0).toISOString(),
      id: executionArn,
      entered: new Date(T0 + 90_000).toISOString(),
      state: 'Ctx',
      machine: 'context',
    };
    expect(events).toEqual([
      { ...common, retry: 0 },
      { ...common, retry: 1 },
    ]);
  });

  it('times the execution out after the machine TimeoutSeconds: TIMED_OUT', async () => {
    h = await startSfnHarness();
    const harness = h;
    const { stateMachineArn } = harness.emulator.registerStateMachine({
      name: 'deadline',
      definition: JSON.stringify({
        TimeoutSeconds: 300,
        StartAt: 'Long',
        States: { Long: { Type: 'Wait', Seconds: 3600, End: true } },
      }),
      resolveTask: () => undefined,
    });
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    await untilHistoryHas(harness.client, executionArn!, 'WaitStateEntered');
    await harness.clock.advance(299_999);
    const still = await harness.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(still.status).toBe('RUNNING');
    await harness.clock.advance(1);
    const done = await untilStatus(harness.client, executionArn!);
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(done.stopDate!.getTime()).toBe(T0 + 300_000);
    expect(typesOf(await historyOf(harness.client, executionArn!)).slice(-2)).toEqual([
      'WaitStateAborted',
      'ExecutionTimedOut',
    ]);
    expect(harness.clock.pending).toBe(0);
  });

  it('waits until a TimestampPath instant on the virtual clock', async () => {
    h = await startSfnHarness();
    const harness = h;
    const { stateMachineArn } = harness.emulator.registerStateMachine({
      name: 'until',
      definition: JSON.stringify({
        StartAt: 'Until',
        States: { Until: { Type: 'Wait', TimestampPath: '$.at', End: true } },
      }),
      resolveTask: () => undefined,
    });
    const at = new Date(T0 + 7 * 86_400_000).toISOString();
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ at }) }),
    );
    await untilHistoryHas(harness.client, executionArn!, 'WaitStateEntered');
    await harness.clock.advance(7 * 86_400_000);
    const done = await untilStatus(harness.client, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate!.toISOString()).toBe(at);
  });

  it('fails with States.Runtime when SecondsPath is not a non-negative integer', async () => {
    h = await startSfnHarness();
    const harness = h;
    const { stateMachineArn } = harness.emulator.registerStateMachine({
      name: 'bad-wait',
      definition: JSON.stringify({
        StartAt: 'Bad',
        States: { Bad: { Type: 'Wait', SecondsPath: '$.s', End: true } },
      }),
      resolveTask: () => undefined,
    });
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"s":-5}' }),
    );
    const done = await untilStatus(harness.client, executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});
