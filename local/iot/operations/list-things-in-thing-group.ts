/** ListThingsInThingGroup: `GET /thing-groups/{thingGroupName}/things?recursive&nextToken&maxResults`. */
import { z } from 'zod';
import { notFound } from '../errors.js';
import { decodeToken, encodeToken, paginate } from '../pagination.js';
import {
  booleanQuery,
  defaultPageSize,
  maxResultsQuery,
  nextTokenQuery,
  noInput,
  thingNameSchema,
} from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const listThingsInThingGroup = defineOperation({
  name: 'ListThingsInThingGroup',
  method: 'GET',
  path: '/thing-groups/{thingGroupName}/things',
  schemas: {
    params: z.object({ thingGroupName: thingNameSchema }),
    query: z.object({ recursive: booleanQuery, nextToken: nextTokenQuery, maxResults: maxResultsQuery }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    const group = ctx.things.getThingGroup(params.thingGroupName);
    if (!group) throw notFound(`Thing Group ${params.thingGroupName} cannot be found.`);
    const scope = `group-things:${group.thingGroupId}:${query.recursive ? 'r' : 'd'}`;
    if (!query.recursive) {
      const page = paginate(group.members, scope, query, defaultPageSize);
      return { things: page.items, nextToken: page.nextToken };
    }
    // Recursive listings merge several groups: an offset into the merged, de-duplicated order.
    const offset = decodeToken(scope, query.nextToken) ?? 0;
    const limit = query.maxResults ?? defaultPageSize;
    const names: string[] = [];
    let index = 0;
    let more = false;
    for (const thing of ctx.things.thingsIn(group.thingGroupName, true)) {
      if (index++ < offset) continue;
      if (names.length === limit) {
        more = true;
        break;
      }
      names.push(thing.thingName);
    }
    return { things: names, nextToken: more ? encodeToken(scope, offset + names.length) : undefined };
  },
});
