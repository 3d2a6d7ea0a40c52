/**
 * The release state machine's definition: valid ASL (asl-validator), every
 * Task retrying throttles and transient errors with backoff and jitter and
 * catching everything else into a step that records the failure, the
 * approval gate bounded in time, and every step a task can return routed.
 */
import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../../lib/workflow/workflow-state.js';
import { readServerlessYml } from '../../../local/serverless-yml.js';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  Choices?: { Variable: string; StringEquals: string; Next: string }[];
  Retry?: Retrier[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  TimeoutSeconds?: number;
  Parameters?: { FunctionName?: string; Payload?: Record<string, string> };
}

const text = readFileSync('state-machines/release.asl.json', 'utf8');
const definition = JSON.parse(text) as { StartAt: string; States: Record<string, State> };
const states = Object.entries(definition.States);
const tasks = states.filter(([, s]) => s.Type === 'Task');

/** The serverless.yml function a Task invokes, from its `${<Fn>FunctionArn}` placeholder. */
function functionKeyOf(task: State): string {
  const placeholder = /^\$\{(\w+)FunctionArn\}$/.exec(task.Parameters?.FunctionName ?? '')?.[1] ?? '';
  return `${placeholder.charAt(0).toLowerCase()}${placeholder.slice(1)}`;
}

describe('the release state machine definition', () => {
  it('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it.each(tasks.map(([name]) => name))(
    '%s retries throttles, transient faults and Lambda errors with backoff and full jitter',
    (name) => {
      const retry = definition.States[name]?.Retry ?? [];
      const retried = retry.flatMap((r) => r.ErrorEquals);
      for (const error of [
        'ThrottledError',
        'UpstreamError',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ]) {
        expect(retried).toContain(error);
      }
      expect(retried).not.toContain('States.ALL');
      for (const r of retry) {
        expect(r.BackoffRate).toBeGreaterThan(1);
        expect(r.JitterStrategy).toBe('FULL');
        expect(r.MaxDelaySeconds).toBeLessThanOrEqual(60);
      }
    },
  );

  it.each(tasks.map(([name]) => name))('%s catches everything else into a step that records it', (name) => {
    // The wave's sleep times out by design (the safety net): that one error goes on to CheckWave;
    // the hold's looks again after a week without an answer (ContinueRelease).
    const timesOut = ['WaitForProgress', 'HoldRelease'];
    const catches = (definition.States[name]?.Catch ?? []).filter(
      (c) => !(timesOut.includes(name) && c.ErrorEquals.join() === 'States.Timeout'),
    );
    expect(catches).toHaveLength(1);
    expect(catches[0]?.ErrorEquals).toEqual(['States.ALL']);
    expect(catches[0]?.ResultPath).toBe('$.error');
    const expected: Record<string, string> = {
      AwaitApproval: 'RefuseApproval',
      RecordFailure: 'ReleaseFailed',
      CancelRelease: 'CancelIncomplete',
    };
    expect(catches[0]?.Next).toBe(expected[name] ?? 'RecordFailure');
  });

  it('bounds the approval gate in time (a week, or to the end time), so a lost answer cannot strand the release', () => {
    const gate = definition.States.AwaitApproval as State & { TimeoutSecondsPath?: string };
    expect(gate?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(gate?.TimeoutSecondsPath).toBe('$.gateTimeoutSeconds');
    expect(gate?.Parameters?.Payload?.['taskToken.$']).toBe('$$.Task.Token');
  });

  it('holds a paused release on a task token, looking again only after a week (or at the end time) without an answer', () => {
    const hold = definition.States.HoldRelease as State & { Next?: string; TimeoutSecondsPath?: string };
    expect(hold?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(hold?.TimeoutSecondsPath).toBe('$.gateTimeoutSeconds');
    expect(hold?.Parameters?.Payload?.['taskToken.$']).toBe('$$.Task.Token');
    expect(hold?.Next).toBe('ContinueRelease');
    expect(hold?.Catch?.find((c) => c.ErrorEquals.join() === 'States.Timeout')?.Next).toBe('ContinueRelease');
  });

  it('bounds the wave sleep by the safety net: its timeout goes on to CheckWave, never past the wave', () => {
    const sleep = definition.States.WaitForProgress as State & { TimeoutSecondsPath?: string };
    expect(sleep.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(sleep.TimeoutSecondsPath).toBe('$.poll.safetyNetSeconds');
    expect(sleep.Parameters?.Payload?.['taskToken.$']).toBe('$$.Task.Token');
    expect(sleep.Catch?.[0]).toEqual({
      ErrorEquals: ['States.Timeout'],
      ResultPath: '$.wake',
      Next: 'CheckWave',
    });
    expect(sleep.Next).toBe('CheckWave');
  });

  it('gives every task the state, the entered time and the execution', () => {
    for (const [, task] of tasks) {
      expect(task.Parameters?.Payload).toMatchObject({
        'state.$': '$',
        'now.$': '$$.State.EnteredTime',
        'executionArn.$': '$$.Execution.Id',
      });
    }
  });

  it('routes only steps the tasks return, to states that exist, and reaches every state', () => {
    const reached = new Set<string>([definition.StartAt]);
    for (const [, state] of states) {
      const targets = [
        state.Next,
        state.Default,
        ...(state.Choices ?? []).map((c) => c.Next),
        ...(state.Catch ?? []).map((c) => c.Next),
      ].filter((t): t is string => t !== undefined);
      for (const target of targets) {
        expect(definition.States).toHaveProperty(target);
        reached.add(target);
      }
      for (const choice of state.Choices ?? []) {
        if (choice.Variable === '$.next') expect(nextSteps).toContain(choice.StringEquals);
      }
    }
    expect([...reached].sort()).toEqual(Object.keys(definition.States).sort());
  });

  it('sends every task whose function calls an IoT jobs API to its own pace wait, which returns to it', async () => {
    const yml = await readServerlessYml();
    const withBudget = tasks.filter(([, task]) => {
      const key = functionKeyOf(task);
      const statements = (yml.functions?.[key] as { iamRoleStatements?: unknown[] } | undefined)
        ?.iamRoleStatements;
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless Framework variable.
      return (statements ?? []).includes('${self:custom.iotCallBudgetIam}');
    });
    // These only count a registry look-up in the budget (DescribeThingGroup, before they delete an
    // ended release's groups, best effort): they borrow, and never wait for a slot.
    const borrowers = ['FinishRelease', 'RefuseApproval'];
    expect(
      withBudget
        .map(([name]) => name)
        .filter((name) => borrowers.includes(name))
        .sort(),
    ).toEqual(borrowers);
    const budgeted = withBudget.filter(([name]) => !borrowers.includes(name));
    expect(budgeted.map(([name]) => name).sort()).toEqual(
      [
        'CancelRelease',
        'CheckBake',
        'CheckWave',
        'FailWave',
        'GatherTargets',
        'PrepareWave',
        'RecordFailure',
        'StartRelease',
        'StartWave',
      ].sort(),
    );
    const paceWaits = Object.entries(definition.States)
      .filter(
        ([, s]) => s.Type === 'Wait' && (s as { TimestampPath?: string }).TimestampPath === '$.pace.until',
      )
      .map(([, s]) => s.Next);
    expect(paceWaits.sort()).toEqual(budgeted.map(([name]) => name).sort());
    // Only these tasks' handlers may answer `pace` (pacedWorkflowTask); the others borrow.
    for (const [name, task] of tasks) {
      const fn = yml.functions?.[functionKeyOf(task)] as { handler: string } | undefined;
      const source = readFileSync(`${fn?.handler.replace(/\.handler$/, '')}.ts`, 'utf8');
      expect(source.includes('pacedWorkflowTask('), `${name}'s handler paces`).toBe(
        budgeted.some(([b]) => b === name),
      );
    }
    for (const [name, task] of budgeted) {
      const after = definition.States[task.Next ?? ''];
      const pace = after?.Choices?.find((c) => c.Variable === '$.next' && c.StringEquals === 'pace');
      expect(pace?.Next, `${name}'s pace route`).toBe(`Pace${name}`);
      expect(definition.States[`Pace${name}`]).toMatchObject({
        Type: 'Wait',
        TimestampPath: '$.pace.until',
        Next: name,
      });
    }
  });

  it('names exactly the placeholders serverless.yml substitutes', async () => {
    const yml = await readServerlessYml();
    const machine = yml.resources?.Resources?.ReleaseStateMachine as {
      Properties: { DefinitionSubstitutions: Record<string, unknown>; Definition: string };
    };
    const placeholders = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect(placeholders).toEqual(new Set(Object.keys(machine.Properties.DefinitionSubstitutions)));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless Framework file reference.
    expect(machine.Properties.Definition).toBe('${file(state-machines/release.asl.json)}');
  });
});
