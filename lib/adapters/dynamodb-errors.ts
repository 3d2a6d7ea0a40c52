/**
 * Translates DynamoDB SDK exceptions into domain errors at the adapter
 * boundary. A failed condition is a conflict with the stored state; a
 * throttle can be retried; a missing table is a deployment fault, not
 * something a caller can fix, so it is an UpstreamError like any other.
 */
import { ConflictError, FleetwaveError, ThrottledError, UpstreamError } from '../domain/errors.js';

export interface DynamoDbErrorContext {
  /** The release (or other resource) the call was about. */
  resourceId?: string;
  /** Seconds to wait after a throttle. */
  retryAfterSeconds: number;
}

const THROTTLES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** True for the error DynamoDB raises when a write's condition does not hold. */
export function isConditionFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/** The domain error for an error thrown by a DynamoDB call. Domain errors pass through unchanged. */
export function fromDynamoDbError(error: unknown, context: DynamoDbErrorContext): FleetwaveError {
  if (error instanceof FleetwaveError) return error;
  const name = errorName(error);
  if (isConditionFailed(error)) {
    return new ConflictError('The item changed since it was read; read it again.', context.resourceId);
  }
  if (name && THROTTLES.has(name)) {
    return new ThrottledError('DynamoDB is throttling requests. Retry later.', context.retryAfterSeconds);
  }
  if (name === 'ResourceNotFoundException') {
    return new UpstreamError('The DynamoDB table does not exist (is the stack deployed?).', name);
  }
  return new UpstreamError('DynamoDB call failed.', name ?? 'UnknownError');
}
