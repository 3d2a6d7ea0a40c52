/**
 * `GET /_fleetwave/ca.pem`: the local root CA, for devices and tools to
 * trust (the counterpart of AWS's Amazon Root CA download). Asking for it
 * makes the CA on a first start, like any other use.
 */
import type { AdminRoutes } from '../http/admin-routes.js';
import type { LocalCertificates } from './device-certificates.js';

export function addCaRoute(admin: AdminRoutes, certificates: LocalCertificates): void {
  admin.add('GET', '/_fleetwave/ca.pem', async () => ({
    contentType: 'application/x-pem-file',
    body: (await certificates.authority()).caPem,
  }));
}
