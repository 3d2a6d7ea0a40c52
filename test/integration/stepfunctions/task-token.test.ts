import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  functionArn,
  historyOf,
  resolverOf,
  type SfnHarness,
  startSfnHarness,
  typesOf,
  untilHistoryHas,
  untilStatus,
} from '../../support/stepfunctions.js';

const SECOND = 1000;

const OUTCOMES: Record<string, string> = {
  TimedOut: 'timed-out',
  HeartbeatLost: 'heartbeat-lost',
  Refused: 'refused',
  CaughtAsTaskFailed: 'task-failed',
};

const approvalMachine = (
  catchers: Array<{ ErrorEquals: string[]; Next: string }>,
  heartbeatSeconds?: number,
) =>
  JSON.stringify({
    StartAt: 'AwaitApproval',
    States: {
      AwaitApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: functionArn('request-approval'),
          Payload: { 'release.$': '$.release', 'taskToken.$': '$$.Task.Token' },
        },
        TimeoutSeconds: 3600,
        ...(heartbeatSeconds !== undefined && { HeartbeatSeconds: heartbeatSeconds }),
        ResultPath: '$.approval',
        Catch: catchers.map((c) => ({ ...c, ResultPath: '$.error' })),
        Next: 'Approved',
      },
      Approved: { Type: 'Succeed' },
      ...Object.fromEntries(
        catchers.map((c) => [
          c.Next,
          { Type: 'Pass', Result: OUTCOMES[c.Next], ResultPath: '$.outcome', End: true },
        ]),
      ),
    },
  });

describe('.waitForTaskToken tasks', () => {
  let h: SfnHarness;
  const requests: Array<{ release: string; taskToken: string }> = [];
  let approvals: string;
  let taskFailedFirst: string;

  beforeAll(async () => {
    h = await startSfnHarness();
    const resolveTask = resolverOf({
      'request-approval': async (event) => {
        requests.push(event as { release: string; taskToken: string });
        return { notified: true };
      },
    });
    approvals = h.emulator.registerStateMachine({
      name: 'approvals',
      definition: approvalMachine(
        [
          { ErrorEquals: ['States.Timeout'], Next: 'TimedOut' },
          { ErrorEquals: ['States.HeartbeatTimeout'], Next: 'HeartbeatLost' },
          { ErrorEquals: ['Rejected'], Next: 'Refused' },
        ],
        600,
      ),
      resolveTask,
    }).stateMachineArn;
    taskFailedFirst = h.emulator.registerStateMachine({
      name: 'task-failed-first',
      definition: approvalMachine([
        { ErrorEquals: ['States.TaskFailed'], Next: 'CaughtAsTaskFailed' },
        { ErrorEquals: ['States.ALL'], Next: 'TimedOut' },
      ]),
      resolveTask,
    }).stateMachineArn;
  });
  afterAll(() => h.close());

  async function startAndGetToken(release: string, stateMachineArn = approvals) {
    const before = requests.length;
    const { executionArn } = await h.client.send(
      new StartExecutionCommand({ stateMachineArn, name: release, input: JSON.stringify({ release }) }),
    );
    await untilHistoryHas(h.client, executionArn!, 'TaskSubmitted');
    const request = await eventually(() => requests[before], 'approval request');
    expect(request.release).toBe(release);
    return { executionArn: executionArn!, token: request.taskToken };
  }

  it('continues with the output given to SendTaskSuccess', async () => {
    const { executionArn, token } = await startAndGetToken('r-success');
    await h.client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true,"by":"ops"}' }),
    );
    const done = await untilStatus(h.client, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      release: 'r-success',
      approval: { approved: true, by: 'ops' },
    });
    const events = await historyOf(h.client, executionArn);
    expect(typesOf(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = events[2]!.taskScheduledEventDetails!;
    expect(scheduled).toMatchObject({
      resource: 'invoke.waitForTaskToken',
      timeoutInSeconds: 3600,
      heartbeatInSeconds: 600,
    });
    expect(JSON.parse(scheduled.parameters!).Payload.taskToken).toBe(token);
    expect(JSON.parse(events[4]!.taskSubmittedEventDetails!.output!).Payload).toEqual({ notified: true });
    expect(events[5]!.taskSucceededEventDetails!.output).toBe('{"approved":true,"by":"ops"}');
  });

  it('routes a SendTaskFailure error name through Catch', async () => {
    const { executionArn, token } = await startAndGetToken('r-refused');
    await h.client.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not today' }),
    );
    const done = await untilStatus(h.client, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      release: 'r-refused',
      error: { Error: 'Rejected', Cause: 'not today' },
      outcome: 'refused',
    });
    const failed = (await historyOf(h.client, executionArn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'Rejected', cause: 'not today' });
  });

  it('times out after TimeoutSeconds of virtual time even while heartbeats arrive', async () => {
    const { executionArn, token } = await startAndGetToken('r-timeout');
    for (let i = 0; i < 7; i++) {
      await h.clock.advance(500 * SECOND);
      await h.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    expect((await untilStatus(h.client, executionArn, 'RUNNING')).status).toBe('RUNNING');
    await h.clock.advance(100 * SECOND);
    const done = await untilStatus(h.client, executionArn);
    expect(JSON.parse(done.output!).outcome).toBe('timed-out');
    expect(JSON.parse(done.output!).error.Error).toBe('States.Timeout');
    const timedOut = (await historyOf(h.client, executionArn)).find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.Timeout');
  });

  it('times out after HeartbeatSeconds without a heartbeat', async () => {
    const { executionArn } = await startAndGetToken('r-heartbeat');
    await h.clock.advance(600 * SECOND - 1);
    expect((await untilStatus(h.client, executionArn, 'RUNNING')).status).toBe('RUNNING');
    await h.clock.advance(1);
    const done = await untilStatus(h.client, executionArn);
    expect(JSON.parse(done.output!)).toMatchObject({
      outcome: 'heartbeat-lost',
      error: { Error: 'States.HeartbeatTimeout' },
    });
  });

  it('does not let States.TaskFailed catch States.Timeout', async () => {
    const { executionArn } = await startAndGetToken('r-taskfailed', taskFailedFirst);
    await h.clock.advance(3600 * SECOND);
    const done = await untilStatus(h.client, executionArn);
    expect(JSON.parse(done.output!)).toMatchObject({
      outcome: 'timed-out',
      error: { Error: 'States.Timeout' },
    });
  });

  it('answers a token whose task has ended with TaskTimedOut', async () => {
    const { executionArn, token } = await startAndGetToken('r-late');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await untilStatus(h.client, executionArn);
    const late = h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await expect(late).rejects.toMatchObject({ name: 'TaskTimedOut', $metadata: { httpStatusCode: 400 } });
    const heartbeat = h.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await expect(heartbeat).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });
});
