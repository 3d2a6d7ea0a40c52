/**
 * Read-only admin routes over what the local EventBridge saw, for the IoT
 * emulator's `/_fleetwave/` surface (which owns that path prefix):
 *
 *   GET /_fleetwave/events?detail-type=&source=&eventBusName=&after=&maxResults=&nextToken=
 *                                         accepted events, newest first, paged (see admin-paging.ts)
 *   GET /_fleetwave/events/failures       failed deliveries
 *   GET /_fleetwave/events/dead-letters   events no target took
 *   GET /_fleetwave/events/rules          rules and their patterns
 *
 * Register them with `for (const r of eventBridgeAdminRoutes(events)) iot.addAdminRoute(...r)`.
 */
import type { AdminHandler } from '../iot/http/admin-routes.js';
import { answerQuery, pageBody, pageOf, pageRequestOf } from './admin-paging.js';
import {
  type EventBridgeService,
  matchesFilter,
  type RecordedEvent,
  type RecordedEventFilter,
} from './eventbridge-service.js';

/** `[method, path, handler]`, the arguments of `IotEmulator.addAdminRoute`. */
export type AdminRoute = [method: string, path: string, handler: AdminHandler];

/** Events per page when `maxResults` is absent. */
const DEFAULT_PAGE = 50;

/** The filter a query asks for; `detailType` is the older spelling of `detail-type`. */
function filterOf(query: URLSearchParams): RecordedEventFilter {
  const source = query.get('source');
  const detailType = query.get('detail-type') ?? query.get('detailType');
  const eventBusName = query.get('eventBusName');
  return {
    ...(source !== null && { source }),
    ...(detailType !== null && { detailType }),
    ...(eventBusName !== null && { eventBusName }),
  };
}

export function eventBridgeAdminRoutes(service: EventBridgeService): AdminRoute[] {
  return [
    [
      'GET',
      '/_fleetwave/events',
      ({ query }) =>
        answerQuery(() => {
          const filter = filterOf(query);
          const received = (r: RecordedEvent) => r.receivedAt;
          const page = pageOf(
            service.sequenced(),
            pageRequestOf(query, DEFAULT_PAGE),
            (r) => matchesFilter(r, filter),
            received,
          );
          // Each item is the event a target receives, plus the bus it was put on.
          return {
            body: pageBody('events', page, (r) => ({ ...r.event, eventBusName: r.eventBusName }), received),
          };
        }),
    ],
    ['GET', '/_fleetwave/events/failures', () => ({ body: { failures: service.failures() } })],
    ['GET', '/_fleetwave/events/dead-letters', () => ({ body: { deadLetters: service.deadLetters() } })],
    [
      'GET',
      '/_fleetwave/events/rules',
      () => ({
        body: {
          rules: service.rules().map((r) => ({
            name: r.name,
            eventBusName: r.eventBusName,
            pattern: r.pattern.pattern,
            retryPolicy: r.retryPolicy,
          })),
        },
      }),
    ],
  ];
}
