/**
 * Read-only admin routes over what the local EventBridge saw, for the IoT
 * emulator's `/_fleetwave/` surface (which owns that path prefix):
 *
 *   GET /_fleetwave/events?source=&detailType=&eventBusName=   accepted events
 *   GET /_fleetwave/events/failures                             failed deliveries
 *   GET /_fleetwave/events/dead-letters                         events no target took
 *   GET /_fleetwave/events/rules                                rules and their patterns
 *
 * Register them with `for (const r of eventBridgeAdminRoutes(events)) iot.addAdminRoute(...r)`.
 */
import type { AdminHandler } from '../iot/http/admin-routes.js';
import type { EventBridgeService } from './eventbridge-service.js';

/** `[method, path, handler]`, the arguments of `IotEmulator.addAdminRoute`. */
export type AdminRoute = [method: string, path: string, handler: AdminHandler];

export function eventBridgeAdminRoutes(service: EventBridgeService): AdminRoute[] {
  const param = (query: URLSearchParams, name: string) => query.get(name) ?? undefined;
  return [
    [
      'GET',
      '/_fleetwave/events',
      ({ query }) => {
        const filter = {
          source: param(query, 'source'),
          detailType: param(query, 'detailType'),
          eventBusName: param(query, 'eventBusName'),
        };
        const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
        return { body: { events: service.recorded(defined) } };
      },
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
