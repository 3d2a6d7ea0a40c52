import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThrottledError, ValidationError } from '../../../lib/domain/errors.js';
import {
  eventually,
  historyOf,
  invokeState,
  resolverOf,
  type SfnHarness,
  startSfnHarness,
  T0,
  typesOf,
  untilStatus,
} from '../../support/stepfunctions.js';

const RETRY_THEN_CATCH = JSON.stringify({
  StartAt: 'Flaky',
  States: {
    Flaky: {
      ...invokeState('flaky'),
      Retry: [
        { ErrorEquals: ['ValidationError'], MaxAttempts: 0 },
        { ErrorEquals: ['ThrottledError'], IntervalSeconds: 10, BackoffRate: 3, MaxAttempts: 3 },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }],
      End: true,
    },
    RecordFailure: { ...invokeState('record-failure'), Next: 'Failed' },
    Failed: { Type: 'Fail', Error: 'ReleaseFailed', Cause: 'a step failed' },
  },
});

describe('Retry and Catch on the virtual clock', () => {
  let h: SfnHarness;
  let stateMachineArn: string;
  const calls: number[] = [];
  const recorded: unknown[] = [];
  let failWith: (attempt: number) => Error | undefined = () => undefined;

  beforeAll(async () => {
    h = await startSfnHarness();
    stateMachineArn = h.emulator.registerStateMachine({
      name: 'retry-catch',
      definition: RETRY_THEN_CATCH,
      resolveTask: resolverOf({
        flaky: async () => {
          calls.push(h.clock.now());
          const error = failWith(calls.length);
          if (error) throw error;
          return { ok: true, attempts: calls.length };
        },
        'record-failure': async (event) => {
          recorded.push(event);
          return event;
        },
      }),
    }).stateMachineArn;
  });
  afterAll(() => h.close());

  const start = async (name: string) =>
    (await h.client.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"release":"r-1"}' })))
      .executionArn!;

  it('retries a named domain error with exponential backoff, each pause a virtual timer', async () => {
    calls.length = 0;
    const base = h.clock.now();
    failWith = (n) => (n <= 2 ? new ThrottledError('IoT throttled CreateJob', 5) : undefined);
    const arn = await start('throttled-twice');
    await eventually(() => (calls.length === 1 && h.clock.pending === 1 ? true : undefined), 'first attempt');

    await h.clock.advance(10_000 - 1);
    expect(calls).toHaveLength(1);
    await h.clock.advance(1);
    await eventually(
      () => (calls.length === 2 && h.clock.pending === 1 ? true : undefined),
      'second attempt',
    );
    // Second pause: 10 s × 3.
    await h.clock.advance(30_000);
    const done = await untilStatus(h.client, arn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ ok: true, attempts: 3 });
    expect(calls).toEqual([base, base + 10_000, base + 40_000]);
    const events = await historyOf(h.client, arn);
    expect(typesOf(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const failed = events[4]!.taskFailedEventDetails!;
    expect(failed.error).toBe('ThrottledError');
    expect(JSON.parse(failed.cause!)).toMatchObject({
      errorType: 'ThrottledError',
      errorMessage: 'IoT throttled CreateJob',
    });
    expect(h.emulator.getExecutionStats(arn)?.stateTransitions).toBe(3);
  });

  it('catches the error once the retrier gives up, and records it in the failure state', async () => {
    calls.length = 0;
    recorded.length = 0;
    failWith = () => new ThrottledError('still throttled');
    const arn = await start('throttled-always');
    // Pauses of 10, 30 and 90 s, then the error goes to Catch.
    for (const [i, pause] of [10_000, 30_000, 90_000].entries()) {
      await eventually(
        () => (calls.length === i + 1 && h.clock.pending === 1 ? true : undefined),
        'retry timer',
      );
      await h.clock.advance(pause);
    }
    const done = await untilStatus(h.client, arn);

    expect(calls).toHaveLength(4);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('ReleaseFailed');
    expect(done.cause).toBe('a step failed');
    expect(recorded).toHaveLength(1);
    const caught = (recorded[0] as { error: { Error: string; Cause: string } }).error;
    expect(caught.Error).toBe('ThrottledError');
    expect(JSON.parse(caught.Cause)).toMatchObject({
      errorType: 'ThrottledError',
      errorMessage: 'still throttled',
    });
    const types = typesOf(await historyOf(h.client, arn));
    expect(types.filter((t) => t === 'TaskFailed')).toHaveLength(4);
    expect(types.slice(-9)).toEqual([
      'TaskFailed',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
  });

  it('does not retry an error whose retrier allows zero attempts, and catches it at once', async () => {
    calls.length = 0;
    recorded.length = 0;
    failWith = () => new ValidationError('wave 3 has no targets');
    const startedAt = h.clock.now();
    const arn = await start('invalid-wave');
    const done = await untilStatus(h.client, arn);
    expect(done.status).toBe('FAILED');
    expect(calls).toEqual([startedAt]);
    expect((recorded[0] as { error: { Error: string } }).error.Error).toBe('ValidationError');
  });

  it('fails the execution with the handler error when nothing catches it', async () => {
    const { stateMachineArn: bare } = h.emulator.registerStateMachine({
      name: 'uncaught',
      definition: JSON.stringify({
        StartAt: 'Boom',
        States: { Boom: { ...invokeState('boom'), End: true } },
      }),
      resolveTask: resolverOf({
        boom: async () => {
          throw new ValidationError('bad input');
        },
      }),
    });
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: bare }));
    const done = await untilStatus(h.client, executionArn!);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('ValidationError');
    expect(JSON.parse(done.cause!)).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'bad input',
    });
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(T0);
    const types = typesOf(await historyOf(h.client, executionArn!));
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'ExecutionFailed',
    ]);
  });
});
