import {
  type SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  type StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { executionArnOf, SfnReleaseExecutions } from '../../../lib/adapters/release-executions.js';
import { ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';
import { fakeSdkClient } from '../../support/fake-sdk-client.js';

const MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:fleetwave-prod-release';

function sdkError(name: string): Error {
  return Object.assign(new Error(`${name} happened`), { name });
}

/** An SFN client answering each command with `answer` (a value, or an error to throw), recording what was sent. */
function adapter(answer: (command: object) => unknown = () => ({})) {
  const { client, sent } = fakeSdkClient<SFNClient>(answer);
  return {
    executions: new SfnReleaseExecutions(client, { stateMachineArn: MACHINE, throttleRetryAfterSeconds: 7 }),
    sent,
  };
}

describe('SfnReleaseExecutions', () => {
  it('names the execution after the release and passes {"releaseId"} as its input', async () => {
    const arn = `${MACHINE.replace(':stateMachine:', ':execution:')}:r-1`;
    const { executions, sent } = adapter(() => ({ executionArn: arn, startDate: new Date() }));
    expect(await executions.start('r-1')).toEqual({ executionArn: arn, started: true });
    const command = sent[0] as StartExecutionCommand;
    expect(command).toBeInstanceOf(StartExecutionCommand);
    expect(command.input).toEqual({ stateMachineArn: MACHINE, name: 'r-1', input: '{"releaseId":"r-1"}' });
  });

  it('derives execution ARNs from the state machine ARN, in any partition', () => {
    expect(executionArnOf(MACHINE, 'r-1')).toBe(
      'arn:aws:states:eu-west-1:111122223333:execution:fleetwave-prod-release:r-1',
    );
    expect(executionArnOf('arn:aws-cn:states:cn-north-1:111122223333:stateMachine:m', 'x')).toBe(
      'arn:aws-cn:states:cn-north-1:111122223333:execution:m:x',
    );
  });

  it('reports a name taken by an ended execution as started: false, not an error', async () => {
    const { executions } = adapter(() => sdkError('ExecutionAlreadyExists'));
    expect(await executions.start('r-1')).toEqual({
      executionArn: executionArnOf(MACHINE, 'r-1'),
      started: false,
    });
  });

  it.each(['ThrottlingException', 'ExecutionLimitExceeded', 'KmsThrottlingException'])(
    'translates %s into ThrottledError with the configured Retry-After',
    async (name) => {
      const { executions } = adapter(() => sdkError(name));
      await expect(executions.start('r-1')).rejects.toMatchObject({
        name: 'ThrottledError',
        retryAfterSeconds: 7,
      });
      await expect(executions.stop('r-1', { error: 'e', cause: 'c' })).rejects.toThrow(ThrottledError);
    },
  );

  it.each(['StateMachineDoesNotExist', 'InvalidArn', 'AccessDeniedException', 'InternalFailure'])(
    'translates %s into an opaque UpstreamError keeping the name for the logs',
    async (name) => {
      const { executions } = adapter(() => sdkError(name));
      await expect(executions.start('r-1')).rejects.toMatchObject({
        name: 'UpstreamError',
        upstreamName: name,
      });
      await expect(executions.start('r-1')).rejects.toThrow(UpstreamError);
    },
  );

  it('stops the execution by its derived ARN, and reports one that never started', async () => {
    const { executions, sent } = adapter();
    expect(await executions.stop('r-1', { error: 'ReleaseCanceled', cause: 'why' })).toBe('stopped');
    expect((sent[0] as StopExecutionCommand).input).toEqual({
      executionArn: executionArnOf(MACHINE, 'r-1'),
      error: 'ReleaseCanceled',
      cause: 'why',
    });
    const missing = adapter(() => sdkError('ExecutionDoesNotExist')).executions;
    expect(await missing.stop('r-2', { error: 'e', cause: 'c' })).toBe('not-started');
  });

  it('sends a task success with the output as JSON and a failure with its error and cause', async () => {
    const { executions, sent } = adapter();
    expect(await executions.sendTaskSuccess('tok', { approved: true })).toBe('delivered');
    expect(await executions.sendTaskFailure('tok', { error: 'ApprovalRejected', cause: 'no' })).toBe(
      'delivered',
    );
    expect(sent[0]).toBeInstanceOf(SendTaskSuccessCommand);
    expect((sent[0] as SendTaskSuccessCommand).input).toEqual({
      taskToken: 'tok',
      output: '{"approved":true}',
    });
    expect((sent[1] as SendTaskFailureCommand).input).toEqual({
      taskToken: 'tok',
      error: 'ApprovalRejected',
      cause: 'no',
    });
  });

  it.each(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'])(
    'reports %s as a task that no longer waits',
    async (name) => {
      const { executions } = adapter(() => sdkError(name));
      expect(await executions.sendTaskSuccess('tok', {})).toBe('task-gone');
      expect(await executions.sendTaskFailure('tok', { error: 'e', cause: 'c' })).toBe('task-gone');
    },
  );
});
