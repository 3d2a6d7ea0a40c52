/**
 * The fault-injection admin API:
 * - `GET /_fleetwave/faults` lists the active faults;
 * - `POST /_fleetwave/faults` adds one (`{operation, error, count?, rate?, message?, seed?}`), 201;
 * - `DELETE /_fleetwave/faults` clears them all;
 * - `DELETE /_fleetwave/faults/{id}` removes one.
 */
import type { AdminRoutes } from '../http/admin-routes.js';
import { type FaultInjector, faultSpecSchema } from './fault-injector.js';

export function addFaultRoutes(admin: AdminRoutes, faults: FaultInjector): void {
  admin.add('GET', '/_fleetwave/faults', () => ({ body: { faults: faults.list() } }));
  admin.add('POST', '/_fleetwave/faults', (req) => ({
    status: 201,
    body: { fault: faults.add(faultSpecSchema.parse(req.body)) },
  }));
  admin.add('DELETE', '/_fleetwave/faults', () => {
    faults.clear();
    return { body: { faults: [] } };
  });
  admin.add('DELETE', '/_fleetwave/faults/{id}', (req) =>
    faults.remove(req.params.id ?? '')
      ? { body: { removed: req.params.id } }
      : { status: 404, body: { message: `No fault ${req.params.id}.` } },
  );
}
