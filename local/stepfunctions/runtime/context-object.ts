/**
 * The context object (`$$`). The library evaluates a Task's Parameters before
 * the task runs and has no notion of per-state members, so `$$.State.*` and
 * `$$.Task.Token` hold placeholders that the task handler replaces with the
 * real values of the attempt it runs (a fresh token per attempt, the retry
 * count, the entry time on the virtual clock).
 */
import { VIRTUAL_EXECUTION_CONTEXT_KEY } from '../definition/prepare.js';
import type { Json } from '../json.js';

const PLACEHOLDER = {
  stateName: '@@fleetwave:State.Name@@',
  enteredTime: '@@fleetwave:State.EnteredTime@@',
  retryCount: '@@fleetwave:State.RetryCount@@',
  taskToken: '@@fleetwave:Task.Token@@',
} as const;

export interface ExecutionContextFacts {
  executionArn: string;
  executionName: string;
  roleArn: string;
  startTime: string;
  stateMachineArn: string;
  stateMachineName: string;
}

/** The context object handed to the library for one execution. */
export function contextObject(facts: ExecutionContextFacts): Record<string, Json> {
  return {
    Execution: {
      Id: facts.executionArn,
      Name: facts.executionName,
      RoleArn: facts.roleArn,
      StartTime: facts.startTime,
      RedriveCount: 0,
    },
    [VIRTUAL_EXECUTION_CONTEXT_KEY]: { StartTime: facts.startTime },
    StateMachine: { Id: facts.stateMachineArn, Name: facts.stateMachineName },
    State: {
      Name: PLACEHOLDER.stateName,
      EnteredTime: PLACEHOLDER.enteredTime,
      RetryCount: PLACEHOLDER.retryCount,
    },
    Task: { Token: PLACEHOLDER.taskToken },
  };
}

export interface AttemptFacts {
  stateName: string;
  enteredTime: string;
  retryCount: number;
  taskToken?: string;
}

/** Replaces the placeholders in evaluated Parameters with the facts of one attempt. */
export function fillContextPlaceholders(value: Json, facts: AttemptFacts): Json {
  if (typeof value === 'string') {
    if (value === PLACEHOLDER.retryCount) return facts.retryCount;
    if (!value.includes('@@fleetwave:')) return value;
    return value
      .replaceAll(PLACEHOLDER.stateName, facts.stateName)
      .replaceAll(PLACEHOLDER.enteredTime, facts.enteredTime)
      .replaceAll(PLACEHOLDER.retryCount, String(facts.retryCount))
      .replaceAll(PLACEHOLDER.taskToken, facts.taskToken ?? '');
  }
  if (Array.isArray(value)) return value.map((v) => fillContextPlaceholders(v, facts));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillContextPlaceholders(v, facts)]));
  }
  return value;
}
