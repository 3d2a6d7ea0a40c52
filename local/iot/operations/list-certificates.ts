/** ListCertificates: `GET /certificates?pageSize&marker&isAscendingOrder`. */
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../certificates/number-cursor.js';
import { booleanQuery, maxResultsQuery, noInput } from '../validation/fields.js';
import { defineOperation, epochSeconds } from './operation.js';

/** AWS's default page of ListCertificates. */
const defaultPageSize = 25;

/**
 * The marker names the creation sequence number of the last certificate
 * returned, in base64 as AWS's markers are: the next page starts after it,
 * so certificates created while a client pages neither repeat nor shift it.
 */
const markerPrefix = 'cert';

export const listCertificates = defineOperation({
  name: 'ListCertificates',
  method: 'GET',
  path: '/certificates',
  schemas: {
    params: noInput,
    query: z.object({
      pageSize: maxResultsQuery,
      marker: z
        .string()
        .max(1024, 'must have length less than or equal to 1024')
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must satisfy regular expression pattern: [A-Za-z0-9+/]+={0,2}')
        .optional(),
      isAscendingOrder: booleanQuery,
    }),
    body: noInput,
  },
  run(ctx, { query }) {
    const ascending = query.isAscendingOrder ?? false;
    const all = ctx.certificates.store.list();
    if (!ascending) all.reverse();
    const after = query.marker === undefined ? undefined : decodeCursor(markerPrefix, query.marker, 'marker');
    const start = after === undefined ? 0 : all.findIndex((c) => (ascending ? c.seq > after : c.seq < after));
    const rest = start < 0 ? [] : all.slice(start);
    const page = rest.slice(0, query.pageSize ?? defaultPageSize);
    const more = rest.length > page.length;
    return {
      certificates: page.map((c) => ({
        certificateArn: c.certificateArn,
        certificateId: c.certificateId,
        status: c.status,
        certificateMode: 'DEFAULT',
        creationDate: epochSeconds(c.creationDate),
      })),
      nextMarker: more ? encodeCursor(markerPrefix, page[page.length - 1]!.seq) : undefined,
    };
  },
});
