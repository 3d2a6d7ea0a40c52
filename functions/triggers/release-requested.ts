/**
 * The `Release Requested` EventBridge rule's target: the event's detail is a
 * release request, created through the same use case as `POST /releases`.
 * A failed invocation is retried by Lambda, then kept in the dead-letter
 * queue (serverless.yml); a permanent refusal is also logged and announced
 * as `Release Request Rejected`.
 */
import type { Context } from 'aws-lambda';
import { eventPublisher } from '../../lib/adapters/event-publisher.js';
import { borrowingScope, withIotCallScope } from '../../lib/adapters/iot-call-scope.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { logger } from '../../lib/logger.js';
import { releaseApiDeps } from '../../lib/releases/deps.js';
import {
  onReleaseRequested,
  type RejectionPublisher,
  releaseRequestedEventSchema,
} from '../../lib/triggers/release-requested.js';

/** Announces a refused request on the configured bus, with the release events' checks. */
const rejections: RejectionPublisher = {
  publish: async (detailType, detail) => void (await eventPublisher().publishDetail(detailType, detail)),
};

export async function handler(
  event: unknown,
  context: Context,
): Promise<{ releaseId: string; created: boolean }> {
  const parsed = releaseRequestedEventSchema.safeParse(event);
  if (!parsed.success) {
    // Not an EventBridge event at all: a wiring fault, kept by the dead-letter queue.
    throw ValidationError.fromZod('The trigger received a malformed event.', parsed.error);
  }
  const time = Date.parse(parsed.data.time);
  // The event's own time is the request clock (virtual on the local stack), as API Gateway's is for a route.
  const now = () => (Number.isFinite(time) ? time : Date.now());
  const log = logger();
  log.addContext(context);
  log.appendKeys({ eventId: parsed.data.id });
  try {
    const { release, created } = await withIotCallScope(borrowingScope(time), () =>
      onReleaseRequested({ api: releaseApiDeps({ now }), rejections, now }, parsed.data),
    );
    log.info('release requested', { releaseId: release.release.releaseId, created });
    return { releaseId: release.release.releaseId, created };
  } finally {
    log.resetKeys();
  }
}
