import { describe, expect, it } from 'vitest';
import {
  LIBRARY_TASK_TIMEOUT_SECONDS,
  prepareDefinition,
  VIRTUAL_WAIT_RESOURCE,
} from '../../../local/stepfunctions/definition/prepare.js';
import { substituteDefinition } from '../../../local/stepfunctions/definition/substitute.js';
import { taskTargetOf } from '../../../local/stepfunctions/definition/task-target.js';
import type { JsonObject } from '../../../local/stepfunctions/json.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions placeholders are the subject here.
const WITH_PLACEHOLDERS = '{"FunctionName":"${StartWaveFunctionArn}","Other":"${Other}"}';

describe('substituteDefinition', () => {
  it('replaces every placeholder with its value', () => {
    const text = substituteDefinition(WITH_PLACEHOLDERS, { StartWaveFunctionArn: 'arn:fn', Other: 'x' });
    expect(JSON.parse(text)).toEqual({ FunctionName: 'arn:fn', Other: 'x' });
  });

  it('escapes a value so it cannot break the JSON document', () => {
    const text = substituteDefinition(WITH_PLACEHOLDERS, { StartWaveFunctionArn: 'a"b', Other: 'c\\d' });
    expect(JSON.parse(text)).toEqual({ FunctionName: 'a"b', Other: 'c\\d' });
  });

  it('refuses a placeholder without a value: InvalidDefinition naming it', () => {
    expect(() => substituteDefinition(WITH_PLACEHOLDERS, { Other: 'x' })).toThrow(
      expect.objectContaining({
        name: 'InvalidDefinition',
        message: expect.stringContaining('StartWaveFunctionArn'),
      }),
    );
  });
});

describe('taskTargetOf', () => {
  it('classifies the Resource shapes fleetwave uses', () => {
    expect(taskTargetOf('arn:aws:states:::lambda:invoke')).toEqual({
      kind: 'lambda-invoke',
      resource: 'arn:aws:states:::lambda:invoke',
      waitForTaskToken: false,
    });
    expect(taskTargetOf('arn:aws:states:::lambda:invoke.waitForTaskToken')).toMatchObject({
      waitForTaskToken: true,
    });
    expect(taskTargetOf('arn:aws:lambda:us-east-1:000000000000:function:fleetwave-local-startWave')).toEqual({
      kind: 'lambda-function',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fleetwave-local-startWave',
    });
    expect(taskTargetOf('arn:aws:states:::sns:publish')).toMatchObject({
      kind: 'service',
      service: 'sns',
      action: 'publish',
    });
    expect(taskTargetOf('arn:aws:states:us-east-1:000000000000:activity:approve')).toMatchObject({
      kind: 'unsupported',
    });
  });
});

describe('prepareDefinition', () => {
  const machine = (states: JsonObject, extra: JsonObject = {}): JsonObject => ({
    StartAt: Object.keys(states)[0]!,
    States: states,
    ...extra,
  });

  it('turns a Wait state into a Task on the virtual-wait resource, evaluating its path as a parameter', () => {
    const prepared = prepareDefinition(
      machine({
        Pause: { Type: 'Wait', SecondsPath: '$.poll.waitSeconds', InputPath: '$.x', Next: 'End' },
        End: { Type: 'Succeed' },
      }),
    );
    expect(prepared.runnable.States.Pause).toEqual({
      Type: 'Task',
      Resource: VIRTUAL_WAIT_RESOURCE,
      InputPath: '$.x',
      Parameters: { 'input.$': '$', 'seconds.$': '$.poll.waitSeconds' },
      TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
      Next: 'End',
    });
    expect(prepared.states.get('Pause')?.type).toBe('Wait');
  });

  it('takes Retry and timeouts from a Task, keeps Catch, and wraps Parameters in an envelope', () => {
    const prepared = prepareDefinition(
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f', 'Payload.$': '$' },
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }],
          TimeoutSecondsPath: '$.timeout',
          HeartbeatSeconds: 60,
          End: true,
        },
        F: { Type: 'Fail' },
      }),
    );
    expect(prepared.runnable.States.T).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { parameters: { FunctionName: 'f', 'Payload.$': '$' }, 'timeoutSeconds.$': '$.timeout' },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }],
      TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
      End: true,
    });
    expect(prepared.states.get('T')?.target?.kind).toBe('lambda-invoke');
  });

  it('keeps the machine TimeoutSeconds for the virtual clock and out of the library', () => {
    const prepared = prepareDefinition(machine({ S: { Type: 'Succeed' } }, { TimeoutSeconds: 300 }));
    expect(prepared.timeoutSeconds).toBe(300);
    expect(prepared.runnable).not.toHaveProperty('TimeoutSeconds');
  });

  it('reads $$.Execution.StartTime from the virtual start time', () => {
    const prepared = prepareDefinition(
      machine({ P: { Type: 'Pass', Parameters: { 'at.$': '$$.Execution.StartTime' }, End: true } }),
    );
    expect(JSON.stringify(prepared.runnable)).not.toContain('$$.Execution.StartTime');
    expect(JSON.stringify(prepared.runnable)).toContain('$$.FleetwaveVirtualExecution.StartTime');
  });

  it('zeroes the library-run Retry pauses of Parallel and Map states and prepares their branches', () => {
    const prepared = prepareDefinition(
      machine({
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } }],
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          End: true,
        },
      }),
    );
    expect(prepared.retryPauseOverrides).toEqual({ Par: 0 });
    expect(prepared.states.get('W')?.type).toBe('Wait');
  });

  it('refuses what cannot run locally: JSONata, Assign, activities, duplicate names', () => {
    const refuse = (definition: JsonObject, why: string) =>
      expect(() => prepareDefinition(definition)).toThrow(
        expect.objectContaining({ name: 'InvalidDefinition', message: expect.stringContaining(why) }),
      );
    refuse(machine({ S: { Type: 'Succeed' } }, { QueryLanguage: 'JSONata' }), 'JSONata');
    refuse(machine({ P: { Type: 'Pass', Assign: { x: 1 }, End: true } }), 'Assign');
    refuse(
      machine({
        A: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:000000000000:activity:a', End: true },
      }),
      'activities',
    );
    refuse(
      machine({
        X: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'X', States: { X: { Type: 'Succeed' } } }],
          End: true,
        },
      }),
      'duplicate state name X',
    );
  });
});
