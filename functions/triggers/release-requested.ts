/**
 * The `Release Requested` EventBridge rule's target: the event's detail is a
 * release request, created through the same use case as `POST /releases`.
 * A failed invocation is retried by Lambda, then kept in the dead-letter
 * queue (serverless.yml); a permanent refusal is also logged and announced
 * as `Release Request Rejected`. An event that is not an EventBridge event
 * at all is a wiring fault: it fails the same way.
 */
import { eventPublisher } from '../../lib/adapters/event-publisher.js';
import { releaseApiDeps } from '../../lib/releases/deps.js';
import { eventTrigger } from '../../lib/triggers/event-trigger.js';
import {
  onReleaseRequested,
  type RejectionPublisher,
  releaseRequestedEventSchema,
} from '../../lib/triggers/release-requested.js';

/** Announces a refused request on the configured bus, with the release events' checks. */
const rejections: RejectionPublisher = {
  publish: async (detailType, detail) => void (await eventPublisher().publishDetail(detailType, detail)),
};

export const handler = eventTrigger(
  {
    what: 'EventBridge event',
    schema: releaseRequestedEventSchema,
    malformed: { kind: 'throw' },
    // The event's own time is the request clock (virtual on the local stack), as API Gateway's is for a route.
    eventTime: (event) => Date.parse(event.time),
    logKeys: (event) => ({ eventId: event.id }),
  },
  async (event, { logger, now }) => {
    const { release, created } = await onReleaseRequested(
      { api: releaseApiDeps({ now }), rejections, now },
      event,
    );
    logger.info('release requested', { releaseId: release.release.releaseId, created });
    return { releaseId: release.release.releaseId, created };
  },
);
