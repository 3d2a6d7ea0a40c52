/** ListThingGroups: `GET /thing-groups?nextToken&maxResults&parentGroup&namePrefixFilter&recursive`. */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import type { ThingGroupRecord } from '../registry/registry-records.js';
import {
  booleanQuery,
  defaultPageSize,
  maxResultsQuery,
  nextTokenQuery,
  noInput,
  thingNameSchema,
} from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const listThingGroups = defineOperation({
  name: 'ListThingGroups',
  method: 'GET',
  path: '/thing-groups',
  schemas: {
    params: noInput,
    query: z.object({
      nextToken: nextTokenQuery,
      maxResults: maxResultsQuery,
      parentGroup: thingNameSchema.optional(),
      namePrefixFilter: z.string().min(1).max(128).optional(),
      recursive: booleanQuery,
    }),
    body: noInput,
  },
  run(ctx, { query }) {
    const { parentGroup, namePrefixFilter, recursive } = query;
    // Under a parent: its children, or (recursive) its whole subtree. Without one: every group, or only roots.
    const within =
      parentGroup === undefined
        ? undefined
        : new Set(
            recursive
              ? ctx.things.subtree(parentGroup).slice(1)
              : ctx.things.getThingGroup(parentGroup)?.children,
          );
    const accepts = (g: ThingGroupRecord) =>
      (namePrefixFilter === undefined || g.thingGroupName.startsWith(namePrefixFilter)) &&
      (within === undefined
        ? recursive !== false || g.parentGroupName === undefined
        : within.has(g.thingGroupName));
    const page = paginate(ctx.things.groupList, 'thing-groups', query, defaultPageSize, accepts);
    return {
      thingGroups: page.items.map((g) => ({ groupName: g.thingGroupName, groupArn: g.thingGroupArn })),
      nextToken: page.nextToken,
    };
  },
});
