/** ListThingPrincipals: `GET /things/{thingName}/principals?nextToken&maxResults`. */
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../certificates/number-cursor.js';
import { requireThing } from '../certificates/principal-checks.js';
import {
  defaultPageSize,
  maxResultsQuery,
  nextTokenQuery,
  noInput,
  thingNameSchema,
} from '../validation/fields.js';
import { defineOperation } from './operation.js';

/** A thing has a handful of principals: the token is the offset of the next one. */
const tokenPrefix = 'principals';

export const listThingPrincipals = defineOperation({
  name: 'ListThingPrincipals',
  method: 'GET',
  path: '/things/{thingName}/principals',
  schemas: {
    params: z.object({ thingName: thingNameSchema }),
    query: z.object({ nextToken: nextTokenQuery, maxResults: maxResultsQuery }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    requireThing(ctx, params.thingName);
    const all = ctx.certificates.store.principalsOf(params.thingName);
    const offset =
      query.nextToken === undefined ? 0 : decodeCursor(tokenPrefix, query.nextToken, 'nextToken');
    const end = offset + (query.maxResults ?? defaultPageSize);
    return {
      principals: all.slice(offset, end),
      nextToken: end < all.length ? encodeCursor(tokenPrefix, end) : undefined,
    };
  },
});
