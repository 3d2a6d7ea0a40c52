/**
 * Translates AWS IoT SDK exceptions into domain errors, at the adapter
 * boundary, so nothing above the adapters knows SDK error names. What the
 * caller can act on keeps its message (a duplicate id, a missing template, a
 * request IoT refused); everything else becomes an {@link UpstreamError} whose
 * IoT name is kept for the logs only.
 */
import {
  ConflictError,
  FleetwaveError,
  NotFoundError,
  ThrottledError,
  UpstreamError,
  ValidationError,
} from '../domain/errors.js';

/** How to phrase and tag the translated error. */
export interface IotErrorContext {
  /** Id of the resource the call was about, carried on NotFound/Conflict errors. */
  resourceId?: string;
  /** Seconds to put in `Retry-After` when IoT throttled the call. */
  retryAfterSeconds: number;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** The domain error for an error thrown by an `@aws-sdk/client-iot` call. */
export function fromIotError(error: unknown, context: IotErrorContext): FleetwaveError {
  // Raised before the request left (the IoT call budget, its DynamoDB write): already a domain error.
  if (error instanceof FleetwaveError) return error;
  const name = errorName(error);
  const message = error instanceof Error && error.message ? error.message : 'AWS IoT refused the request.';
  switch (name) {
    case 'ConflictException':
    case 'ResourceAlreadyExistsException':
      return new ConflictError(message, context.resourceId);
    case 'ResourceNotFoundException':
      return new NotFoundError(message, context.resourceId);
    case 'ThrottlingException':
      return new ThrottledError('AWS IoT is throttling requests. Retry later.', context.retryAfterSeconds);
    case 'InvalidRequestException':
      return new ValidationError(message, []);
    default:
      // Includes 5xx, LimitExceeded, Unauthorized (our role, not the caller) and network failures.
      return new UpstreamError('AWS IoT call failed.', name ?? 'UnknownError');
  }
}
