/** ListThingsInThingGroup: `GET /thing-groups/{thingGroupName}/things?recursive&nextToken&maxResults`. */
import { z } from 'zod';
import { notFound } from '../errors.js';
import { decodePartToken, encodePartToken, invalidToken, paginate } from '../pagination.js';
import { isInTree, pageThingsIn } from '../registry/group-walk.js';
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
    // Recursive listings merge several groups: the token names the group reached and the last member read there.
    const cursor = decodePartToken(scope, query.nextToken);
    if (cursor && !isInTree(ctx.things, group.thingGroupName, cursor.part)) throw invalidToken();
    const page = pageThingsIn(
      ctx.things,
      group.thingGroupName,
      cursor && { group: cursor.part, after: cursor.after, mark: cursor.mark ?? ctx.things.membershipMark },
      query.maxResults ?? defaultPageSize,
    );
    return {
      things: page.things.map((thing) => thing.thingName),
      nextToken: page.next && encodePartToken(scope, page.next.group, page.next.after, page.next.mark),
    };
  },
});
