/**
 * Read-only admin routes over what the local SNS recorded, on the IoT
 * emulator's `/_fleetwave/` surface (beside the EventBridge ones):
 *
 *   GET /_fleetwave/sns/topics                                     topics and their kept messages
 *   GET /_fleetwave/sns/messages?topic=&after=&maxResults=&nextToken=
 *                                                                  published messages, newest first, paged
 *
 * `topic` is a topic's name or ARN; without it every topic's messages are listed.
 */

import { answerQuery, pageBody, pageOf, pageRequestOf } from '../eventbridge/admin-paging.js';
import type { AdminRoute } from '../eventbridge/admin-routes.js';
import type { AdminResponse } from '../iot/http/admin-routes.js';
import type { SnsService } from './sns-service.js';
import type { PublishedMessage } from './topics.js';

/** Messages per page when `maxResults` is absent. */
const DEFAULT_PAGE = 50;

/** A message as the route lists it: the contract's shape, times in ISO-8601. */
function messageView(m: PublishedMessage) {
  return {
    messageId: m.messageId,
    topicArn: m.topicArn,
    ...(m.subject !== undefined && { subject: m.subject }),
    message: m.message,
    ...(Object.keys(m.messageAttributes).length > 0 && { messageAttributes: m.messageAttributes }),
    timestamp: new Date(m.publishedAt).toISOString(),
  };
}

/** The ARN `topic` names (a name or an ARN), or a 404 answer saying which topics exist. */
function topicArnOf(service: SnsService, topic: string): string | AdminResponse {
  const found = service.topics().find((t) => t.arn === topic || t.name === topic);
  if (found) return found.arn;
  const known = service.topics().map((t) => t.name);
  return {
    status: 404,
    body: {
      code: 'NotFoundError',
      message: `No topic named '${topic}' in the local SNS. Topics: ${known.length > 0 ? known.join(', ') : 'none'}.`,
    },
  };
}

export function snsAdminRoutes(service: SnsService): AdminRoute[] {
  return [
    [
      'GET',
      '/_fleetwave/sns/topics',
      () => {
        const kept = new Map<string, number>();
        for (const { item } of service.sequenced())
          kept.set(item.topicArn, (kept.get(item.topicArn) ?? 0) + 1);
        const topics = service
          .topics()
          .map((t) => ({ name: t.name, topicArn: t.arn, messages: kept.get(t.arn) ?? 0 }));
        return { body: { topics } };
      },
    ],
    [
      'GET',
      '/_fleetwave/sns/messages',
      ({ query }) =>
        answerQuery(() => {
          const topic = query.get('topic');
          const topicArn = topic === null ? undefined : topicArnOf(service, topic);
          if (typeof topicArn === 'object') return topicArn;
          const published = (m: PublishedMessage) => m.publishedAt;
          const page = pageOf(
            service.sequenced(),
            pageRequestOf(query, DEFAULT_PAGE),
            (m) => topicArn === undefined || m.topicArn === topicArn,
            published,
          );
          return { body: pageBody('messages', page, messageView, published) };
        }),
    ],
  ];
}
