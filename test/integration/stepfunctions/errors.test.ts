import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskTokenRegistry } from '../../../local/stepfunctions/runtime/task-tokens.js';
import {
  eventually,
  functionArn,
  resolverOf,
  type SfnHarness,
  startSfnHarness,
  untilHistoryHas,
} from '../../support/stepfunctions.js';

const ROLE = 'arn:aws:iam::000000000000:role/fleetwave-local-states';
const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const missingExecution = 'arn:aws:states:us-east-1:000000000000:execution:errors:missing';

describe('Step Functions errors as the SDK parses them', () => {
  let h: SfnHarness;
  let stateMachineArn: string;
  let waiting: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    h = await startSfnHarness();
    stateMachineArn = (
      await h.client.send(new CreateStateMachineCommand({ name: 'errors', definition: PASS, roleArn: ROLE }))
    ).stateMachineArn!;
    waiting = h.emulator.registerStateMachine({
      name: 'errors-token',
      definition: JSON.stringify({
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: functionArn('keep'), Payload: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      }),
      resolveTask: resolverOf({
        keep: async (event) => {
          tokens.push((event as { token: string }).token);
          return null;
        },
      }),
    }).stateMachineArn;
  });
  afterAll(() => h.close());

  const rejects = (promise: Promise<unknown>, name: string) =>
    expect(promise).rejects.toMatchObject({ name, $metadata: { httpStatusCode: 400 } });

  it('InvalidName for an execution name AWS refuses', async () => {
    await rejects(
      h.client.send(new StartExecutionCommand({ stateMachineArn, name: 'has space' })),
      'InvalidName',
    );
    await rejects(
      h.client.send(new StartExecutionCommand({ stateMachineArn, name: 'x'.repeat(81) })),
      'InvalidName',
    );
  });

  it('StateMachineDoesNotExist for a well-formed ARN of no machine', async () => {
    const arn = 'arn:aws:states:us-east-1:000000000000:stateMachine:nope';
    await rejects(
      h.client.send(new StartExecutionCommand({ stateMachineArn: arn })),
      'StateMachineDoesNotExist',
    );
    await rejects(
      h.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn })),
      'StateMachineDoesNotExist',
    );
  });

  it('InvalidArn for something that is not a Step Functions ARN', async () => {
    await rejects(h.client.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })), 'InvalidArn');
    await rejects(
      h.client.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:s3:::bucket' })),
      'InvalidArn',
    );
  });

  it('InvalidExecutionInput for input that is not JSON', async () => {
    await rejects(
      h.client.send(new StartExecutionCommand({ stateMachineArn, input: '{bad' })),
      'InvalidExecutionInput',
    );
  });

  it('ExecutionDoesNotExist for a well-formed ARN of no execution', async () => {
    await rejects(
      h.client.send(new DescribeExecutionCommand({ executionArn: missingExecution })),
      'ExecutionDoesNotExist',
    );
  });

  it('InvalidDefinition and StateMachineAlreadyExists on CreateStateMachine', async () => {
    await rejects(
      h.client.send(
        new CreateStateMachineCommand({ name: 'broken', definition: '{"StartAt":"X"}', roleArn: ROLE }),
      ),
      'InvalidDefinition',
    );
    await rejects(
      h.client.send(new CreateStateMachineCommand({ name: 'broken', definition: 'not json', roleArn: ROLE })),
      'InvalidDefinition',
    );
    const same = await h.client.send(
      new CreateStateMachineCommand({ name: 'errors', definition: PASS, roleArn: ROLE }),
    );
    expect(same.stateMachineArn).toBe(stateMachineArn);
    const other = PASS.replace('"P"', '"Q"').replace('"P"', '"Q"');
    await rejects(
      h.client.send(new CreateStateMachineCommand({ name: 'errors', definition: other, roleArn: ROLE })),
      'StateMachineAlreadyExists',
    );
  });

  it('ValidationException for a member outside its constraints', async () => {
    const tooMany = h.client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 5000 }));
    await expect(tooMany).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining("'maxResults'"),
    });
  });

  it('InvalidToken, TaskDoesNotExist and InvalidOutput on the task-token operations', async () => {
    await rejects(
      h.client.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' })),
      'InvalidToken',
    );
    await rejects(h.client.send(new SendTaskHeartbeatCommand({ taskToken: 'garbage' })), 'InvalidToken');
    const foreign = new TaskTokenRegistry().issue(missingExecution, 'T', {
      succeed: () => undefined,
      fail: () => undefined,
      heartbeat: () => undefined,
    });
    await rejects(
      h.client.send(new SendTaskFailureCommand({ taskToken: foreign, error: 'E' })),
      'TaskDoesNotExist',
    );

    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: waiting }));
    await untilHistoryHas(h.client, executionArn!, 'TaskSubmitted');
    const token = await eventually(() => tokens.at(-1), 'token');
    await rejects(
      h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })),
      'InvalidOutput',
    );
    // The task is still waiting: a valid answer is accepted.
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '"ok"' }));
  });

  it('TaskTimedOut for the token of a task that has ended', async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: waiting }));
    await untilHistoryHas(h.client, executionArn!, 'TaskSubmitted');
    const token = await eventually(() => tokens.at(-1), 'token');
    await h.client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Nope' }));
    await rejects(
      h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
      'TaskTimedOut',
    );
  });

  it('UnknownOperationException for an operation the endpoint does not serve', async () => {
    const res = await fetch(h.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AWSStepFunctions.DeleteActivity',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
