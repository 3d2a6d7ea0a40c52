/** DescribeThingGroup: `GET /thing-groups/{thingGroupName}`. */
import { z } from 'zod';
import { notFound } from '../errors.js';
import { noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation, epochSeconds } from './operation.js';

export const describeThingGroup = defineOperation({
  name: 'DescribeThingGroup',
  method: 'GET',
  path: '/thing-groups/{thingGroupName}',
  schemas: { params: z.object({ thingGroupName: thingNameSchema }), query: noInput, body: noInput },
  run(ctx, { params }) {
    const group = ctx.things.getThingGroup(params.thingGroupName);
    if (!group) throw notFound(`Thing Group ${params.thingGroupName} cannot be found.`);
    const rootToParent = ctx.things
      .ancestors(group.thingGroupName)
      .reverse()
      .map((name) => ({ groupName: name, groupArn: ctx.arns.thingGroup(name) }));
    return {
      thingGroupName: group.thingGroupName,
      thingGroupId: group.thingGroupId,
      thingGroupArn: group.thingGroupArn,
      version: group.version,
      thingGroupProperties: {
        thingGroupDescription: group.description,
        attributePayload: { attributes: { ...group.attributes } },
      },
      thingGroupMetadata: {
        parentGroupName: group.parentGroupName,
        rootToParentThingGroups: group.parentGroupName === undefined ? undefined : rootToParent,
        creationDate: epochSeconds(group.creationDate),
      },
    };
  },
});
