/**
 * A read-only admin route over the messages the local SNS recorded, for the
 * IoT emulator's `/_fleetwave/` surface:
 *
 *   GET /_fleetwave/sns/messages?topicArn=   published messages, oldest first
 *
 * Register it with `for (const r of snsAdminRoutes(sns)) iot.addAdminRoute(...r)`.
 */
import type { AdminRoute } from '../eventbridge/admin-routes.js';
import type { SnsService } from './sns-service.js';

export function snsAdminRoutes(service: SnsService): AdminRoute[] {
  return [
    [
      'GET',
      '/_fleetwave/sns/messages',
      ({ query }) => {
        const topicArn = query.get('topicArn') ?? undefined;
        return { body: { messages: service.messages(topicArn === undefined ? {} : { topicArn }) } };
      },
    ],
  ];
}
