import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  functionArn,
  historyOf,
  resolverOf,
  type SfnHarness,
  startSfnHarness,
  T0,
  typesOf,
  untilHistoryHas,
  untilStatus,
} from '../../support/stepfunctions.js';

const HOUR = 3_600_000;

/** Task → Choice → Wait (virtual hour, SecondsPath) → loop → Succeed. */
const TOY = JSON.stringify({
  StartAt: 'Poll',
  States: {
    Poll: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a DefinitionSubstitutions placeholder.
      Parameters: { FunctionName: '${PollFunctionArn}', 'Payload.$': '$' },
      ResultSelector: { 'Payload.$': '$.Payload' },
      OutputPath: '$.Payload',
      Next: 'Done?',
    },
    'Done?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }],
      Default: 'Pause',
    },
    Pause: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Poll' },
    Finished: { Type: 'Succeed' },
  },
});

describe('a toy machine on the virtual clock', () => {
  let h: SfnHarness;
  const seen: Array<{ event: unknown; at: number }> = [];
  let stateMachineArn: string;

  beforeAll(async () => {
    h = await startSfnHarness();
    stateMachineArn = h.emulator.registerStateMachine({
      name: 'toy',
      definition: TOY,
      substitutions: { PollFunctionArn: functionArn('toy-poll') },
      resolveTask: resolverOf({
        'toy-poll': async (event) => {
          seen.push({ event, at: h.clock.now() });
          const count = seen.length;
          return { count, done: count >= 3, waitSeconds: 3600 };
        },
      }),
    }).stateMachineArn;
  });
  afterAll(() => h.close());

  it('loops through a one-hour Wait only when the clock is advanced, then succeeds', async () => {
    const { executionArn } = await h.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'toy-1', input: '{"start":true}' }),
    );
    const arn = executionArn!;
    await untilHistoryHas(h.client, arn, 'WaitStateEntered', 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({ event: { start: true }, at: T0 });

    // One millisecond short of the hour: the execution stays in the Wait state.
    await h.clock.advance(HOUR - 1);
    const early = await h.client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(early.status).toBe('RUNNING');
    expect(typesOf(await historyOf(h.client, arn))).not.toContain('WaitStateExited');

    await h.clock.advance(1);
    await untilHistoryHas(h.client, arn, 'WaitStateEntered', 2);
    expect(seen.map((s) => s.at)).toEqual([T0, T0 + HOUR]);

    await h.clock.advance(HOUR);
    const done = await untilStatus(h.client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ count: 3, done: true, waitSeconds: 3600 });
    expect(done.startDate!.getTime()).toBe(T0);
    expect(done.stopDate!.getTime()).toBe(T0 + 2 * HOUR);
    expect(seen.map((s) => s.at)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
  });

  it('writes the history in AWS order with virtual timestamps', async () => {
    seen.length = 2; // the next poll is the third: done at once
    const { executionArn } = await h.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'toy-2' }),
    );
    const done = await untilStatus(h.client, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    const events = await historyOf(h.client, executionArn!);
    expect(typesOf(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.previousEventId)).toEqual(events.map((_, i) => i));
    const scheduled = events[2]!.taskScheduledEventDetails!;
    expect(scheduled.resourceType).toBe('lambda');
    expect(scheduled.resource).toBe('invoke');
    expect(JSON.parse(scheduled.parameters!)).toEqual({ FunctionName: functionArn('toy-poll'), Payload: {} });
    const succeeded = JSON.parse(events[4]!.taskSucceededEventDetails!.output!);
    expect(succeeded).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { count: 3 } });
    expect(events.every((e) => e.timestamp!.getTime() === h.clock.now())).toBe(true);
    expect(h.emulator.getExecutionStats(executionArn!)).toEqual({ stateTransitions: 3, historyEvents: 11 });
  });

  it('lets the AWS SDK look around: DescribeStateMachine shows the substituted definition', async () => {
    const machine = await h.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(machine.name).toBe('toy');
    expect(machine.status).toBe('ACTIVE');
    expect(machine.definition).toContain(functionArn('toy-poll'));
    const list = await h.client.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => m.stateMachineArn)).toEqual([stateMachineArn]);
  });
});
