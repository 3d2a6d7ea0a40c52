/**
 * `GET /_fleetwave/metrics?namespace=&name=&maxResults=&nextToken=`: the
 * EMF records the handlers wrote, newest first (docs/metrics.md). A bad
 * parameter, an unknown one included, is a 400 naming it.
 */
import { z } from 'zod';
import type { AdminHandler } from '../iot/http/admin-routes.js';
import type { EmfRecorder } from './emf-recorder.js';

/** Records per page when `maxResults` is absent, and at most. */
const DEFAULT_PAGE = 25;
const MAX_PAGE = 100;

const querySchema = z.strictObject({
  namespace: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  maxResults: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(MAX_PAGE))
    .optional(),
  nextToken: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a nextToken this route answered')
    .transform(Number)
    .optional(),
});

/** The route, as `[method, path, handler]` for `iot.addAdminRoute(...)`. */
export function metricsAdminRoute(recorder: EmfRecorder): [string, string, AdminHandler] {
  return [
    'GET',
    '/_fleetwave/metrics',
    ({ query }) => {
      const q = querySchema.parse(Object.fromEntries(query));
      return {
        body: recorder.list({
          namespace: q.namespace,
          name: q.name,
          maxResults: q.maxResults ?? DEFAULT_PAGE,
          after: q.nextToken,
        }),
      };
    },
  ];
}
