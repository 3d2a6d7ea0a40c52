/**
 * Releases asked for on EventBridge: an event with detail-type
 * `Release Requested` whose `detail` is a release request (the body of
 * `POST /releases`, with an optional `idempotencyKey`). It runs the same
 * `createRelease` use case. Without a `releaseId` or `idempotencyKey`, the
 * event id keys the release, so EventBridge's and Lambda's own retries of
 * one event never make a second release. The release's creator is the
 * event's origin, `events:<source>@<account>`.
 *
 * A request that cannot succeed (invalid, conflicting, too large) is never
 * dropped silently: it is logged as a structured error, announced as a
 * `Release Request Rejected` event (source `fleetwave`), and the invocation
 * fails, so that after the retries it lands in the dead-letter queue with
 * the original event.
 */
import * as z from 'zod';
import { eventBridgeActor } from '../domain/actors.js';
import { ConflictError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import { logger } from '../logger.js';
import { type CreateReleaseResult, createRelease } from '../releases/create-release.js';
import type { ReleaseApiDeps } from '../releases/ports.js';
import { releaseInputOf } from './release-input.js';

/** The detail-type fleetwave publishes when it refuses one. */
const RELEASE_REQUEST_REJECTED = 'Release Request Rejected';

/** The part of an EventBridge event the trigger reads. */
export const releaseRequestedEventSchema = z.object({
  id: z.string().min(1),
  source: z.string(),
  /** The AWS account the event came from (with `source`, the release's creator). */
  account: z.string().optional(),
  'detail-type': z.string(),
  time: z.string(),
  detail: z.unknown(),
});
export type ReleaseRequestedEvent = z.output<typeof releaseRequestedEventSchema>;

/** The detail of a `Release Request Rejected` event. */
interface RejectedRequestDetail {
  schemaVersion: 1;
  /** `<event id>/release-request-rejected`: the same for every retry of one event. */
  notificationId: string;
  /** The refused event. */
  requestEventId: string;
  requestSource: string;
  /** The release id the request named, when it named one. */
  releaseId?: string;
  /** The error's name: ValidationError, ConflictError or PayloadTooLargeError. */
  error: string;
  reason: string;
  details?: { path: string; message: string }[];
  occurredAt: string;
}

/** Where a rejection is announced (EventBridge). */
export interface RejectionPublisher {
  publish(detailType: typeof RELEASE_REQUEST_REJECTED, detail: RejectedRequestDetail): Promise<void>;
}

/** Errors no retry can cure: the request itself is wrong. */
function isPermanent(error: unknown): error is ValidationError | ConflictError | PayloadTooLargeError {
  return (
    error instanceof ValidationError ||
    error instanceof ConflictError ||
    error instanceof PayloadTooLargeError
  );
}

function rejectedDetail(event: ReleaseRequestedEvent, error: Error, now: number): RejectedRequestDetail {
  const releaseId = (event.detail as { releaseId?: unknown } | null)?.releaseId;
  return {
    schemaVersion: 1,
    notificationId: `${event.id}/release-request-rejected`,
    requestEventId: event.id,
    requestSource: event.source,
    ...(typeof releaseId === 'string' && { releaseId }),
    error: error.name,
    reason: error.message,
    ...(error instanceof ValidationError && { details: error.details }),
    occurredAt: new Date(now).toISOString(),
  };
}

/**
 * Creates the release an event asks for.
 * @throws the use case's error after recording a permanent one (so the event is retried or dead-lettered)
 */
export async function onReleaseRequested(
  deps: { api: ReleaseApiDeps; rejections: RejectionPublisher; now: () => number },
  event: ReleaseRequestedEvent,
): Promise<CreateReleaseResult> {
  try {
    const input = releaseInputOf(event.detail, `eventbridge:${event.id}`);
    return await createRelease(deps.api, {
      ...input,
      actor: eventBridgeActor(event.source, event.account),
      now: deps.now(),
    });
  } catch (error) {
    if (!isPermanent(error)) throw error;
    const detail = rejectedDetail(event, error, deps.now());
    logger().error('release request rejected', { ...detail });
    try {
      await deps.rejections.publish(RELEASE_REQUEST_REJECTED, detail);
    } catch (publishError) {
      // The log line and the dead-letter queue still keep the request.
      logger().error('could not announce the rejected release request', publishError as Error);
    }
    throw error;
  }
}
