/**
 * How a failed task reaches the library's `Catch` matching. The library
 * matches `ErrorEquals` against the thrown error's `name`, writes
 * `{Error: name, Cause: message}` as the catcher's output, and reads the
 * duck-typed `isRetryable`/`isCatchable` flags.
 */
import '../promise-with-resolvers.js';
import { StateMachine } from 'aws-local-stepfunctions';

/** A task failure as Step Functions reports it: an error name and a cause text. */
export class TaskFailure extends Error {
  constructor(error: string, cause = '') {
    super(cause);
    this.name = error;
  }
  get error(): string {
    return this.name;
  }
  get causeText(): string {
    return this.message;
  }
  /** `States.Runtime` is neither retried nor caught, as on AWS. */
  get isRetryable(): boolean {
    return this.name !== 'States.Runtime';
  }
  get isCatchable(): boolean {
    return this.name !== 'States.Runtime';
  }
}

/**
 * Converts whatever a handler threw into the failure Lambda reports: the error
 * type is the error's `name` (so a domain `ThrottledError` is matchable), the
 * cause the Lambda error payload `{errorType, errorMessage, trace}` as JSON.
 */
export function failureFromThrown(thrown: unknown): TaskFailure {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errorType = error.name || 'Error';
  const trace = (error.stack ?? `${errorType}: ${error.message}`).split('\n');
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage: error.message, trace }));
}

type ErrorClass = new () => Error;
let timeoutErrorClass: Promise<ErrorClass | undefined> | undefined;

/**
 * The library's `States.TaskFailed` wildcard must not match `States.Timeout`,
 * and it tells them apart with `instanceof` on its own, unexported
 * `StatesTimeoutError`. A one-off run of a tiny machine whose task times out
 * after 1 ms of wall time yields that class; the emulator then throws genuine
 * instances, so `Catch` treats virtual-clock timeouts exactly as its own.
 */
function libraryTimeoutErrorClass(): Promise<ErrorClass | undefined> {
  timeoutErrorClass ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'Probe',
        States: {
          Probe: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
            End: true,
            TimeoutSeconds: 0.001,
          },
        },
      },
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run(null, {
      overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => undefined) } },
    });
    try {
      await run.result;
      return undefined;
    } catch (error) {
      const cause = error instanceof Error ? error.cause : undefined;
      return cause instanceof Error && cause.name === 'States.Timeout'
        ? (cause.constructor as ErrorClass)
        : undefined;
    }
  })();
  return timeoutErrorClass;
}

/** The error to throw to the library for `failure`: a genuine library timeout error for `States.Timeout`. */
export async function toLibraryError(failure: TaskFailure): Promise<Error> {
  if (failure.error !== 'States.Timeout') return failure;
  const TimeoutError = await libraryTimeoutErrorClass();
  if (!TimeoutError) return failure;
  const error = new TimeoutError();
  error.message = failure.causeText;
  return error;
}
