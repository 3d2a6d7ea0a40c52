/**
 * The vocabulary of a state machine table: one row per Task (with what the
 * generator derives from it: its Choice, its Pace wait, its Retry and Catch)
 * and, for the few states no task owns (a bake Wait, the ends), a row that
 * holds the state as it is. `buildMachine` turns a table into ASL.
 */
import type { AslFailState, AslPassState, AslRetrier, AslSucceedState, AslWaitState } from './asl.js';

/** How a task waiting for a callback (`.waitForTaskToken`) is bounded and where its answer goes. */
type Callback = {
  /** Where the callback's output (or, with `onTimeout`, the timeout error) is kept in the state. */
  resultPath: string;
  /** Where a timeout leads, when it is an expected outcome rather than a fault. */
  onTimeout?: string;
} & ({ timeoutSeconds: number } | { timeoutSecondsPath: string });

interface TaskBase {
  /** The Task state's name, also what the handler reads as `$$.State.Name`. */
  task: string;
  /** The serverless.yml function key; the ASL names it `${<Key>FunctionArn}`, one DefinitionSubstitution. */
  fn: string;
  /** What the task does, for the reader of the ASL and of the console. */
  comment: string;
  /** The Retry list, one of the table's shared profiles. */
  retry: readonly AslRetrier[];
  /** Set for a task that waits for a callback; otherwise the task's answer becomes the state. */
  callback?: Callback;
  /** Where an error goes once its retries are spent; the table's `onError` when absent. */
  onError?: string;
}

/** A task that goes on to one state whatever it answers. */
export interface StraightTask extends TaskBase {
  next: string;
}

/** A task whose answer picks the next state, through its own Choice (`After<task>` unless `choice` names it). */
export interface RoutedTask<Step extends string> extends TaskBase {
  /** For each answer the task may give, the state it leads to, in the order the Choice tests them. */
  routes: Partial<Record<Step, string>>;
  /** Where any other answer leads; the table's `unknownStep` when absent. */
  otherwise?: string;
  /**
   * The handler may answer `pace` (its IoT call budget is spent): the
   * generator adds the `pace` route, first, to a `Pace<task>` Wait that runs
   * the task again at `$.pace.until`.
   */
  paced?: true;
  /** A Choice on another field than the table's `routeOn`, under its own name. */
  choice?: { name: string; variable: string };
}

/** A state no task owns, written as it is. */
interface PlainState {
  state: string;
  asl: AslWaitState | AslPassState | AslSucceedState | AslFailState;
}

export type MachineRow<Step extends string> = StraightTask | RoutedTask<Step> | PlainState;

/** A whole machine: its rows in the order the ASL lists them, and the defaults they share. */
export interface MachineTable<Step extends string> {
  comment: string;
  startAt: string;
  /** The field the routing Choices read, e.g. `$.next`. */
  routeOn: string;
  /** Where a task's errors go after its retries, unless its row says otherwise. */
  onError: string;
  /** Where an answer no route names goes, unless the row says otherwise. */
  unknownStep: string;
  rows: readonly MachineRow<Step>[];
}

/** A Retry entry with the backoff every fleetwave task uses: doubling, capped at 60 s, full jitter. */
export function backoff(errors: string[], intervalSeconds: number, maxAttempts: number): AslRetrier {
  return {
    ErrorEquals: errors,
    IntervalSeconds: intervalSeconds,
    BackoffRate: 2,
    MaxAttempts: maxAttempts,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  };
}
