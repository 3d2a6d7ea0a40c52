/**
 * The part of the Amazon States Language (JSONPath) that fleetwave's state
 * machines use, as the generator writes it. The property order of each
 * interface is the order the generated JSON keeps, so a reader of the
 * committed file finds every state laid out the same way.
 */

/** One Retry entry: backoff with full jitter, capped. */
export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  BackoffRate: number;
  MaxAttempts: number;
  MaxDelaySeconds: number;
  JitterStrategy: 'FULL';
}

/** One Catch entry. */
export interface AslCatcher {
  ErrorEquals: string[];
  ResultPath: string;
  Next: string;
}

/** A Lambda invocation (`lambda:invoke`, or `.waitForTaskToken` for a task that waits for a callback). */
export interface AslTaskState {
  Type: 'Task';
  Comment: string;
  Resource: string;
  Parameters: { FunctionName: string; Payload: Record<string, string> };
  TimeoutSecondsPath?: string;
  TimeoutSeconds?: number;
  OutputPath?: string;
  ResultPath?: string;
  Retry: AslRetrier[];
  Catch: AslCatcher[];
  Next: string;
}

/** One branch of a Choice: a string variable equal to a value. */
interface AslStringChoice {
  Variable: string;
  StringEquals: string;
  Next: string;
}

export interface AslChoiceState {
  Type: 'Choice';
  Choices: AslStringChoice[];
  Default: string;
}

/** A Wait until a timestamp, or for a number of seconds, read from the state. */
export interface AslWaitState {
  Type: 'Wait';
  Comment: string;
  TimestampPath?: string;
  SecondsPath?: string;
  Next: string;
}

export interface AslPassState {
  Type: 'Pass';
  Comment: string;
  Result: Record<string, string>;
  ResultPath: string;
  Next: string;
}

export interface AslSucceedState {
  Type: 'Succeed';
  Comment?: string;
}

export interface AslFailState {
  Type: 'Fail';
  Error: string;
  Cause: string;
}

export type AslState =
  | AslTaskState
  | AslChoiceState
  | AslWaitState
  | AslPassState
  | AslSucceedState
  | AslFailState;

/** A whole state machine definition. */
export interface AslDefinition {
  Comment: string;
  StartAt: string;
  States: Record<string, AslState>;
}
