import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  functionArn,
  historyOf,
  invokeState,
  resolverOf,
  type SfnHarness,
  startSfnHarness,
  typesOf,
  untilHistoryHas,
  untilStatus,
} from '../../support/stepfunctions.js';

describe('StartExecution and StopExecution', () => {
  let h: SfnHarness;
  let waiting: string;
  let approval: string;
  const calls: string[] = [];
  const tokens: string[] = [];

  beforeAll(async () => {
    h = await startSfnHarness();
    const resolveTask = resolverOf({
      first: async (event) => {
        calls.push('first');
        return event;
      },
      second: async (event) => {
        calls.push('second');
        return event;
      },
      approve: async (event) => {
        tokens.push((event as { token: string }).token);
        return {};
      },
    });
    waiting = h.emulator.registerStateMachine({
      name: 'waiting',
      definition: JSON.stringify({
        StartAt: 'First',
        States: {
          First: { ...invokeState('first'), Next: 'Pause' },
          Pause: { Type: 'Wait', Seconds: 60, Next: 'Second' },
          Second: { ...invokeState('second'), End: true },
        },
      }),
      resolveTask,
    }).stateMachineArn;
    approval = h.emulator.registerStateMachine({
      name: 'approval',
      definition: JSON.stringify({
        StartAt: 'Approve',
        States: {
          Approve: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: functionArn('approve'), Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSeconds: 3600,
            Next: 'Second',
          },
          Second: { ...invokeState('second'), End: true },
        },
      }),
      resolveTask,
    }).stateMachineArn;
  });
  afterAll(() => h.close());

  it('returns the same executionArn and startDate for the same name and input while running', async () => {
    const request = { stateMachineArn: waiting, name: 'release-42', input: '{"release":"42"}' };
    const first = await h.client.send(new StartExecutionCommand(request));
    await h.clock.advance(5_000);
    const again = await h.client.send(new StartExecutionCommand(request));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:waiting:release-42');
  });

  it('refuses the same name with another input: ExecutionAlreadyExists', async () => {
    const clash = h.client.send(
      new StartExecutionCommand({ stateMachineArn: waiting, name: 'release-42', input: '{"release":"43"}' }),
    );
    await expect(clash).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a name already used by a closed execution, even with the same input', async () => {
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:waiting:release-42';
    await untilHistoryHas(h.client, arn, 'WaitStateEntered');
    await h.clock.advance(60_000);
    await untilStatus(h.client, arn, 'SUCCEEDED');
    const reuse = h.client.send(
      new StartExecutionCommand({ stateMachineArn: waiting, name: 'release-42', input: '{"release":"42"}' }),
    );
    await expect(reuse).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('stops an execution in a Wait state: ABORTED, and no later task runs', async () => {
    calls.length = 0;
    const { executionArn } = await h.client.send(
      new StartExecutionCommand({ stateMachineArn: waiting, name: 'stop-me' }),
    );
    await untilHistoryHas(h.client, executionArn!, 'WaitStateEntered');
    const stopped = await h.client.send(
      new StopExecutionCommand({ executionArn, error: 'OperatorStop', cause: 'halted from the console' }),
    );
    expect(stopped.stopDate?.getTime()).toBe(h.clock.now());
    const described = await h.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'OperatorStop',
      cause: 'halted from the console',
    });

    await h.clock.advance(3_600_000);
    expect(calls).toEqual(['first']);
    const types = typesOf(await historyOf(h.client, executionArn!));
    expect(types.slice(-3)).toEqual(['WaitStateEntered', 'WaitStateAborted', 'ExecutionAborted']);
    const aborted = (await historyOf(h.client, executionArn!)).at(-1)!;
    expect(aborted.executionAbortedEventDetails).toEqual({
      error: 'OperatorStop',
      cause: 'halted from the console',
    });
  });

  it('stops an execution waiting for a task token: the token then answers TaskTimedOut', async () => {
    calls.length = 0;
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: approval }));
    await untilHistoryHas(h.client, executionArn!, 'TaskSubmitted');
    const token = await eventually(() => tokens.at(-1), 'token');
    await h.client.send(new StopExecutionCommand({ executionArn }));
    const late = h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await expect(late).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await h.clock.advance(7_200_000);
    expect(calls).toEqual([]);
    expect(typesOf(await historyOf(h.client, executionArn!)).slice(-2)).toEqual([
      'TaskStateAborted',
      'ExecutionAborted',
    ]);
    expect(h.clock.pending).toBe(0);
  });

  it('answers StopExecution for an unknown execution with ExecutionDoesNotExist', async () => {
    const stop = h.client.send(
      new StopExecutionCommand({
        executionArn: 'arn:aws:states:us-east-1:000000000000:execution:waiting:nope',
      }),
    );
    await expect(stop).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
