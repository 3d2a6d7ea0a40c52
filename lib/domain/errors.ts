/**
 * Domain errors. Every error the product raises on purpose extends
 * {@link FleetwaveError} and sets a literal `name`: the HTTP layer maps names to
 * status codes in one place, and the Step Functions `Retry`/`Catch` clauses
 * match on the same names. Anything that is not a FleetwaveError is treated as
 * an unexpected fault and never shown to a caller.
 */
import type { ZodError } from 'zod';

/** One problem with one field of a request. */
export interface FieldProblem {
  /** Dotted path to the field, e.g. `abortConfig.criteriaList.0.thresholdPercentage`; `''` for the whole body. */
  path: string;
  message: string;
}

/** Turns zod issues into field problems with dotted paths. */
export function toFieldProblems(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

export abstract class FleetwaveError extends Error {
  abstract override readonly name: string;
}

/** The request is malformed or breaks a rule; `details` names every bad field. */
export class ValidationError extends FleetwaveError {
  override readonly name = 'ValidationError' as const;
  constructor(
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** The error for input a zod schema refused: `message`, and one detail per issue. */
  static fromZod(message: string, error: ZodError): ValidationError {
    return new ValidationError(message, toFieldProblems(error));
  }
}

/** A resource the request names does not exist. */
export class NotFoundError extends FleetwaveError {
  override readonly name = 'NotFoundError' as const;
  constructor(
    message: string,
    readonly resourceId?: string,
  ) {
    super(message);
  }
}

/** The request conflicts with the current state (duplicate id, wrong status, stale version). */
export class ConflictError extends FleetwaveError {
  override readonly name = 'ConflictError' as const;
  constructor(
    message: string,
    readonly resourceId?: string,
  ) {
    super(message);
  }
}

/** An AWS dependency throttled the call; safe to retry after a pause. */
export class ThrottledError extends FleetwaveError {
  override readonly name = 'ThrottledError' as const;
  constructor(
    message: string,
    /** Seconds the caller should wait before trying again. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/**
 * The call must wait for its turn in a shared rate budget (AWS IoT's jobs
 * APIs, shared by every release of the account). A slot is already reserved
 * for it at `at` (epoch ms); the workflow sleeps until then and runs the task
 * again, which then spends the reservation instead of queueing anew.
 */
export class PacedError extends FleetwaveError {
  override readonly name = 'PacedError' as const;
  constructor(
    message: string,
    /** The API whose budget is spent, e.g. `DescribeJob`. */
    readonly api: string,
    /** When the reserved slot opens (epoch ms). */
    readonly at: number,
  ) {
    super(message);
  }
}

/** An AWS dependency failed in a way the caller cannot fix (5xx, limit, unexpected error). */
export class UpstreamError extends FleetwaveError {
  override readonly name = 'UpstreamError' as const;
  constructor(
    message: string,
    /** The dependency's own error name, for logs only: never returned to a caller. */
    readonly upstreamName?: string,
  ) {
    super(message);
  }
}

/** The caller did not prove who it is (missing or bad token or signature). */
export class UnauthorizedError extends FleetwaveError {
  override readonly name = 'UnauthorizedError' as const;
  constructor(
    message: string,
    /** The `WWW-Authenticate` challenge to answer with (e.g. `Bearer realm="fleetwave"`), if any. */
    readonly challenge?: string,
  ) {
    super(message);
  }
}

/**
 * The caller is known, but this action is not theirs to take (e.g. approving
 * their own release where a wave asks for a second person). Nothing changed.
 */
export class ForbiddenError extends FleetwaveError {
  override readonly name = 'ForbiddenError' as const;
  constructor(
    message: string,
    readonly resourceId?: string,
  ) {
    super(message);
  }
}

/** The request body is larger than the route accepts. */
export class PayloadTooLargeError extends FleetwaveError {
  override readonly name = 'PayloadTooLargeError' as const;
}

/** The request body is not JSON (its `Content-Type` says another media type, or none). */
export class UnsupportedMediaTypeError extends FleetwaveError {
  override readonly name = 'UnsupportedMediaTypeError' as const;
}

export type DomainErrorName =
  | ValidationError['name']
  | NotFoundError['name']
  | ConflictError['name']
  | ThrottledError['name']
  | UpstreamError['name']
  | UnauthorizedError['name']
  | ForbiddenError['name']
  | PayloadTooLargeError['name']
  | UnsupportedMediaTypeError['name'];
