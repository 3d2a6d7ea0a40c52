/**
 * Turns a state machine definition into the one aws-local-stepfunctions runs.
 * The library keeps time with `setTimeout` and `Date.now()` (Wait states,
 * Retry pauses, task and execution timeouts) and has no callback pattern, so
 * every time-based rule moves out of its hands, onto the virtual clock:
 * - a Wait state becomes a Task whose local handler waits on the clock; the
 *   seconds or timestamp path is evaluated by the library as a parameter;
 * - a Task state loses `Retry`, `TimeoutSeconds(Path)` and `HeartbeatSeconds(Path)`:
 *   the local handler retries and times out on the clock, and the library's own
 *   60 s default timer is pushed out of reach;
 * - the machine-level `TimeoutSeconds` is enforced by the execution, on the clock;
 * - `$$.Execution.StartTime` is read from a context member the library does not
 *   overwrite with the wall-clock time.
 * `Catch`, Choice, Pass, Parallel and Map stay with the library.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { sfnError } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import { type TaskTarget, taskTargetOf } from './task-target.js';

type StateType = 'Task' | 'Parallel' | 'Map' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';

/** What the emulator remembers of each state of the original definition. */
export interface StateInfo {
  name: string;
  type: StateType;
  /** The state as written (after substitutions). */
  definition: JsonObject;
  /** For Task states: what the Resource asks for. */
  target?: TaskTarget;
}

export interface PreparedDefinition {
  /** The definition handed to the library. */
  runnable: StateMachineDefinition;
  /** Every state, nested ones included, by name (ASL names are unique machine-wide). */
  states: ReadonlyMap<string, StateInfo>;
  /** The machine-level `TimeoutSeconds`, enforced on the virtual clock. */
  timeoutSeconds?: number;
  /** Parallel and Map states keep their library-run Retry; their pauses are zeroed so no wall-clock sleep happens. */
  retryPauseOverrides: Record<string, number>;
}

/** The Resource of the Task a Wait state becomes. */
export const VIRTUAL_WAIT_RESOURCE = 'arn:aws:states:::fleetwave:virtualWait';
/**
 * The library races every Task against `setTimeout(TimeoutSeconds * 1000)`.
 * This is the largest value Node accepts (2^31-1 ms), about 24.8 days of wall time.
 */
export const LIBRARY_TASK_TIMEOUT_SECONDS = 2_147_483;
/** Context member carrying the virtual start time (the library overwrites `Execution.StartTime`). */
export const VIRTUAL_EXECUTION_CONTEXT_KEY = 'FleetwaveVirtualExecution';

const invalid = (message: string) =>
  sfnError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);

/** Prepares a parsed, already validated definition. Throws `InvalidDefinition` for what cannot run locally. */
export function prepareDefinition(definition: JsonObject): PreparedDefinition {
  const states = new Map<string, StateInfo>();
  const retryPauseOverrides: Record<string, number> = {};
  const { TimeoutSeconds, ...top } = definition;
  const runnable = prepareMachine(top, states, retryPauseOverrides);
  const prepared: PreparedDefinition = {
    runnable: rewriteStartTimePaths(runnable) as unknown as StateMachineDefinition,
    states,
    retryPauseOverrides,
  };
  if (typeof TimeoutSeconds === 'number') prepared.timeoutSeconds = TimeoutSeconds;
  return prepared;
}

function prepareMachine(
  machine: JsonObject,
  states: Map<string, StateInfo>,
  retryPauseOverrides: Record<string, number>,
): JsonObject {
  if (machine.QueryLanguage === 'JSONata') throw invalid('JSONata is not supported locally; use JSONPath');
  const source = asObject(machine.States, 'States');
  const out: JsonObject = {};
  for (const [name, raw] of Object.entries(source)) {
    const state = asObject(raw, `States.${name}`);
    if (states.has(name)) throw invalid(`duplicate state name ${name}`);
    if (state.QueryLanguage === 'JSONata') throw invalid(`state ${name} uses JSONata, not supported locally`);
    if ('Assign' in state) throw invalid(`state ${name} uses Assign (variables), not supported locally`);
    const type = state.Type as StateType;
    const info: StateInfo = { name, type, definition: state };
    states.set(name, info);
    out[name] = prepareState(info, states, retryPauseOverrides);
  }
  return { ...machine, States: out };
}

function prepareState(
  info: StateInfo,
  states: Map<string, StateInfo>,
  retryPauseOverrides: Record<string, number>,
): JsonObject {
  const state = info.definition;
  switch (info.type) {
    case 'Task':
      return prepareTask(info);
    case 'Wait':
      return prepareWait(state);
    case 'Parallel': {
      if (Array.isArray(state.Retry)) retryPauseOverrides[info.name] = 0;
      const branches = Array.isArray(state.Branches) ? state.Branches : [];
      return {
        ...state,
        Branches: branches.map((b) => prepareMachine(asObject(b, 'Branches'), states, retryPauseOverrides)),
      };
    }
    case 'Map': {
      if (Array.isArray(state.Retry)) retryPauseOverrides[info.name] = 0;
      const key = 'ItemProcessor' in state ? 'ItemProcessor' : 'Iterator';
      return { ...state, [key]: prepareMachine(asObject(state[key], key), states, retryPauseOverrides) };
    }
    default:
      return state;
  }
}

function prepareTask(info: StateInfo): JsonObject {
  const {
    Retry: _retry,
    TimeoutSeconds: _timeout,
    TimeoutSecondsPath,
    HeartbeatSeconds: _heartbeat,
    HeartbeatSecondsPath,
    Parameters,
    ...rest
  } = info.definition;
  const resource = String(info.definition.Resource);
  info.target = taskTargetOf(resource);
  if (info.target.kind === 'unsupported') throw invalid(`state ${info.name}: ${info.target.reason}`);
  // The library evaluates this envelope against the effective input, so the
  // handler receives the real Parameters and the dynamic timeouts in one go.
  const envelope: JsonObject =
    Parameters === undefined ? { 'parameters.$': '$' } : { parameters: Parameters };
  if (typeof TimeoutSecondsPath === 'string') envelope['timeoutSeconds.$'] = TimeoutSecondsPath;
  if (typeof HeartbeatSecondsPath === 'string') envelope['heartbeatSeconds.$'] = HeartbeatSecondsPath;
  return { ...rest, Parameters: envelope, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS };
}

function prepareWait(state: JsonObject): JsonObject {
  const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _type, ...rest } = state;
  const envelope: JsonObject = { 'input.$': '$' };
  if (Seconds !== undefined) envelope.seconds = Seconds;
  if (typeof SecondsPath === 'string') envelope['seconds.$'] = SecondsPath;
  if (Timestamp !== undefined) envelope.timestamp = Timestamp;
  if (typeof TimestampPath === 'string') envelope['timestamp.$'] = TimestampPath;
  return {
    ...rest,
    Type: 'Task',
    Resource: VIRTUAL_WAIT_RESOURCE,
    Parameters: envelope,
    TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
  };
}

function rewriteStartTimePaths(value: Json): Json {
  if (typeof value === 'string') {
    return value.replaceAll('$$.Execution.StartTime', () => `$$.${VIRTUAL_EXECUTION_CONTEXT_KEY}.StartTime`);
  }
  if (Array.isArray(value)) return value.map(rewriteStartTimePaths);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteStartTimePaths(v)]));
  }
  return value;
}

function asObject(value: Json | undefined, where: string): JsonObject {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  throw invalid(`${where} must be an object`);
}
