/**
 * Turns a machine table into an ASL definition. Each task row becomes its
 * Task state, then its own Choice (one per task, so the console graph shows
 * each task's edges), then its Pace wait when it is paced: the order a
 * reader of the JSON follows the flow in.
 */
import type {
  AslCatcher,
  AslChoiceState,
  AslDefinition,
  AslState,
  AslTaskState,
  AslWaitState,
} from './asl.js';
import type { MachineRow, MachineTable, RoutedTask, StraightTask } from './machine-table.js';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const INVOKE_AND_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The answer a paced task gives when its IoT call budget is spent. */
const PACE_STEP = 'pace';

type TaskRow<Step extends string> = StraightTask | RoutedTask<Step>;

function isRouted<Step extends string>(row: TaskRow<Step>): row is RoutedTask<Step> {
  return 'routes' in row;
}

/** `startRelease` → `${StartReleaseFunctionArn}`, the DefinitionSubstitution serverless.yml provides. */
function functionArnPlaceholder(fn: string): string {
  return `\${${fn.charAt(0).toUpperCase()}${fn.slice(1)}FunctionArn}`;
}

function choiceName(row: RoutedTask<string>): string {
  return row.choice?.name ?? `After${row.task}`;
}

function paceName(task: string): string {
  return `Pace${task}`;
}

function taskState<Step extends string>(row: TaskRow<Step>, table: MachineTable<Step>): AslTaskState {
  const { callback } = row;
  // Every task hears where and when it runs: `stateName` and `retryCount` let a paced
  // task tell its first attempt after a Pace wait from a retry or a Catch.
  const payload: Record<string, string> = {
    'state.$': '$',
    'now.$': '$$.State.EnteredTime',
    'executionArn.$': '$$.Execution.Id',
    ...(callback && { 'taskToken.$': '$$.Task.Token' }),
    'stateName.$': '$$.State.Name',
    'retryCount.$': '$$.State.RetryCount',
  };
  const catches: AslCatcher[] = [];
  if (callback?.onTimeout) {
    catches.push({
      ErrorEquals: ['States.Timeout'],
      ResultPath: callback.resultPath,
      Next: callback.onTimeout,
    });
  }
  catches.push({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: row.onError ?? table.onError });
  return {
    Type: 'Task',
    Comment: row.comment,
    Resource: callback ? INVOKE_AND_WAIT : INVOKE,
    Parameters: { FunctionName: functionArnPlaceholder(row.fn), Payload: payload },
    ...(callback && 'timeoutSecondsPath' in callback && { TimeoutSecondsPath: callback.timeoutSecondsPath }),
    ...(callback && 'timeoutSeconds' in callback && { TimeoutSeconds: callback.timeoutSeconds }),
    // A task answers the whole next state; a callback's output is kept beside the state.
    ...(callback ? { ResultPath: callback.resultPath } : { OutputPath: '$.Payload' }),
    Retry: [...row.retry],
    Catch: catches,
    Next: isRouted(row) ? choiceName(row) : row.next,
  };
}

function choiceState<Step extends string>(row: RoutedTask<Step>, table: MachineTable<Step>): AslChoiceState {
  const variable = row.choice?.variable ?? table.routeOn;
  const routes: [string, string][] = [
    ...(row.paced ? ([[PACE_STEP, paceName(row.task)]] as [string, string][]) : []),
    ...Object.entries<string | undefined>(row.routes).flatMap(([step, next]) =>
      next === undefined ? [] : [[step, next] as [string, string]],
    ),
  ];
  return {
    Type: 'Choice',
    Choices: routes.map(([step, next]) => ({ Variable: variable, StringEquals: step, Next: next })),
    Default: row.otherwise ?? table.unknownStep,
  };
}

function paceWait(task: string): AslWaitState {
  return {
    Type: 'Wait',
    Comment: `${task} found the IoT call budget spent and reserved a slot: wait for it, then run ${task} again, which spends the slot.`,
    TimestampPath: '$.pace.until',
    Next: task,
  };
}

/** The states one row stands for, in the order they are listed. */
function statesOf<Step extends string>(
  row: MachineRow<Step>,
  table: MachineTable<Step>,
): [string, AslState][] {
  if ('state' in row) return [[row.state, row.asl]];
  if (!isRouted(row)) return [[row.task, taskState(row, table)]];
  if (row.paced && PACE_STEP in row.routes) {
    throw new Error(`${row.task}: a paced task's "${PACE_STEP}" route is generated, not listed`);
  }
  return [
    [row.task, taskState(row, table)],
    [choiceName(row), choiceState(row, table)],
    ...(row.paced ? ([[paceName(row.task), paceWait(row.task)]] as [string, AslState][]) : []),
  ];
}

/** Every state a state leads to. */
function targetsOf(state: AslState): string[] {
  switch (state.Type) {
    case 'Task':
      return [state.Next, ...state.Catch.map((c) => c.Next)];
    case 'Choice':
      return [...state.Choices.map((c) => c.Next), state.Default];
    case 'Wait':
    case 'Pass':
      return [state.Next];
    default:
      return [];
  }
}

/**
 * The ASL definition of a table. Throws on two states of one name and on a
 * transition to a state the table does not define, naming them, so a
 * mistaken row fails the generation rather than the deployment.
 */
export function buildMachine<Step extends string>(table: MachineTable<Step>): AslDefinition {
  const states: Record<string, AslState> = {};
  for (const row of table.rows) {
    for (const [name, state] of statesOf(row, table)) {
      if (name in states) throw new Error(`two states are named ${name}`);
      states[name] = state;
    }
  }
  const missing = [
    ...(table.startAt in states ? [] : [`StartAt → ${table.startAt}`]),
    ...Object.entries(states).flatMap(([name, state]) =>
      targetsOf(state)
        .filter((target) => !(target in states))
        .map((target) => `${name} → ${target}`),
    ),
  ];
  if (missing.length > 0) throw new Error(`transitions to undefined states: ${missing.join(', ')}`);
  return { Comment: table.comment, StartAt: table.startAt, States: states };
}
