/**
 * The failures `fleetwave` reports, each carrying its exit code. Commands
 * throw them; `runCli` prints them (as text on stderr, and as JSON on stdout
 * with `--json`) and exits with their code.
 */
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** One problem with one field, as the API reports it (`details[]`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Base of every failure the CLI reports on purpose. */
export abstract class CliError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** The error as `--json` prints it under `error`. */
  toJson(): Record<string, unknown> {
    return { code: this.name, message: this.message };
  }
}

/**
 * The command line is wrong. `usageOf` names the command whose usage should
 * follow the message (the top-level usage when undefined).
 */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.USAGE;
  constructor(
    message: string,
    readonly usageOf?: readonly string[],
  ) {
    super(message);
  }
}

/** An input file is unreadable (`NO_INPUT`) or not what the command needs (`DATA`). */
export class InputError extends CliError {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly exitCode: typeof ExitCode.DATA | typeof ExitCode.NO_INPUT = ExitCode.DATA,
  ) {
    super(message);
  }
}

/** The API could not be reached at all: nothing answered. */
export class ApiUnreachableError extends CliError {
  override readonly name = 'ApiUnreachableError';
  readonly exitCode = ExitCode.API_UNREACHABLE;
  constructor(
    readonly apiUrl: string,
    /** What went wrong, in a few words: `connection refused`, `host not found`, ... */
    readonly reason: string,
  ) {
    super(
      `Cannot reach the fleetwave API at ${apiUrl} (${reason}). ` +
        'Start the local stack with `npm start` (or `fleetwave local`), or set --api-url / FLEETWAVE_API_URL.',
    );
  }
  override toJson(): Record<string, unknown> {
    return { ...super.toJson(), apiUrl: this.apiUrl, reason: this.reason };
  }
}

/** The API answered with an error status. */
export class ApiError extends CliError {
  override readonly name = 'ApiError';
  readonly exitCode: ExitCodeValue;
  constructor(
    readonly status: number,
    /** The API's error code (`ValidationError`, `NotFoundError`, ...), or undefined for a foreign answer. */
    readonly code: string | undefined,
    message: string,
    readonly details: readonly FieldProblem[] = [],
    /** Seconds the API asked to wait (`Retry-After`), on 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.exitCode = status === 429 || status >= 500 ? ExitCode.API_FAILED : ExitCode.API_REFUSED;
  }
  override toJson(): Record<string, unknown> {
    return {
      code: this.code ?? 'HttpError',
      message: this.message,
      status: this.status,
      ...(this.details.length > 0 ? { details: this.details } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
    };
  }
}

/** The API answered something the CLI cannot read (not JSON, or not the documented shape). */
export class UnexpectedAnswerError extends CliError {
  override readonly name = 'UnexpectedAnswerError';
  readonly exitCode = ExitCode.SOFTWARE;
}

/** The user pressed Ctrl-C while a request was under way. */
export class InterruptedError extends CliError {
  override readonly name = 'InterruptedError';
  readonly exitCode = ExitCode.INTERRUPTED;
}
