/** AddThingToThingGroup: `PUT /thing-groups/addThingToThingGroup`, naming each side by name or ARN. */
import { z } from 'zod';
import { invalidRequest, notFound } from '../errors.js';
import { noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const addThingToThingGroup = defineOperation({
  name: 'AddThingToThingGroup',
  method: 'PUT',
  path: '/thing-groups/addThingToThingGroup',
  schemas: {
    params: noInput,
    query: noInput,
    body: z.object({
      thingGroupName: thingNameSchema.optional(),
      thingGroupArn: z.string().optional(),
      thingName: thingNameSchema.optional(),
      thingArn: z.string().optional(),
      overrideDynamicGroups: z.boolean().optional(),
    }),
  },
  run(ctx, { body }) {
    const groupName =
      body.thingGroupName ?? byArn(body.thingGroupArn, (arn) => ctx.arns.idOf(arn, 'thinggroup'));
    const thingName = body.thingName ?? byArn(body.thingArn, (arn) => ctx.arns.idOf(arn, 'thing'));
    if (groupName === undefined)
      throw invalidRequest('Either thingGroupName or thingGroupArn must be specified.');
    if (thingName === undefined) throw invalidRequest('Either thingName or thingArn must be specified.');
    ctx.things.addThingToThingGroup(thingName, groupName);
    return {};
  },
});

/** The name an ARN gives, undefined when there is no ARN; an ARN naming nothing here is not found. */
function byArn(arn: string | undefined, idOf: (arn: string) => string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const id = idOf(arn);
  if (id === undefined) throw notFound(`${arn} cannot be found.`);
  return id;
}
