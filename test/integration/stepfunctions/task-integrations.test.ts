import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskHandler } from '../../../local/stepfunctions/index.js';
import {
  functionArn,
  historyOf,
  resolverOf,
  type SfnHarness,
  startSfnHarness,
  typesOf,
  untilStatus,
} from '../../support/stepfunctions.js';

const SNS_PUBLISH = 'arn:aws:states:::sns:publish';

describe('Task resources mapped to local handlers', () => {
  let h: SfnHarness;
  const published: unknown[] = [];
  const contexts: Array<{ functionName: string; invokedFunctionArn: string }> = [];
  const handlers: Record<string, TaskHandler> = {
    double: async (event, context) => {
      contexts.push({ functionName: context.functionName, invokedFunctionArn: context.invokedFunctionArn });
      return { value: (event as { value: number }).value * 2 };
    },
  };

  beforeAll(async () => {
    h = await startSfnHarness();
  });
  afterAll(() => h.close());

  const run = async (name: string, states: Record<string, unknown>, input: unknown = {}) => {
    const { stateMachineArn } = h.emulator.registerStateMachine({
      name,
      definition: JSON.stringify({ StartAt: Object.keys(states)[0], States: states }),
      resolveTask: (arn) =>
        arn === SNS_PUBLISH
          ? async (event) => {
              published.push(event);
              return { MessageId: 'm-1' };
            }
          : resolverOf(handlers)(arn),
    });
    const { executionArn } = await h.client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
    );
    const done = await untilStatus(h.client, executionArn!);
    return { done, events: await historyOf(h.client, executionArn!) };
  };

  it('runs a function ARN used directly as the Resource, with LambdaFunction events', async () => {
    const { done, events } = await run(
      'direct',
      { Double: { Type: 'Task', Resource: functionArn('double'), End: true } },
      { value: 21 },
    );
    expect(JSON.parse(done.output!)).toEqual({ value: 42 });
    expect(typesOf(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]!.lambdaFunctionScheduledEventDetails).toMatchObject({
      resource: functionArn('double'),
      input: '{"value":21}',
    });
    expect(contexts.at(-1)).toEqual({ functionName: 'double', invokedFunctionArn: functionArn('double') });
  });

  it('fails a lambda:invoke of an unknown function with Lambda.ResourceNotFoundException', async () => {
    const { done } = await run('unknown-fn', {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: functionArn('nobody') },
        End: true,
      },
    });
    expect(done).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });

  it('resolves another service integration by its Resource ARN', async () => {
    const { done, events } = await run(
      'sns',
      {
        Notify: {
          Type: 'Task',
          Resource: SNS_PUBLISH,
          Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:releases', 'Message.$': '$.text' },
          ResultPath: '$.sns',
          End: true,
        },
      },
      { text: 'wave 1 done' },
    );
    expect(JSON.parse(done.output!)).toEqual({ text: 'wave 1 done', sns: { MessageId: 'm-1' } });
    expect(published.at(-1)).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:releases',
      Message: 'wave 1 done',
    });
    expect(events[2]!.taskScheduledEventDetails).toMatchObject({ resourceType: 'sns', resource: 'publish' });
  });

  it('fails with States.Runtime, which no Catch takes, when a service integration has no handler', async () => {
    const { done } = await run('no-handler', {
      Put: {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: { Entries: [] },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Succeed' },
    });
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('runs Task states inside Parallel branches and Map iterations', async () => {
    const { done, events } = await run(
      'nested',
      {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Left',
              States: { Left: { Type: 'Task', Resource: functionArn('double'), End: true } },
            },
            { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
          ],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemsPath: '$[1].items',
          ItemProcessor: {
            StartAt: 'Item',
            States: { Item: { Type: 'Task', Resource: functionArn('double'), End: true } },
          },
          End: true,
        },
      },
      { value: 1, items: [{ value: 2 }, { value: 3 }] },
    );
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ value: 4 }, { value: 6 }]);
    const types = typesOf(events);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    expect(types).toContain('ParallelStateSucceeded');
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(2);
    expect(types.filter((t) => t === 'LambdaFunctionSucceeded')).toHaveLength(3);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });
});
