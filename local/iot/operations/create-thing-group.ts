/** CreateThingGroup: `POST /thing-groups/{thingGroupName}`. */
import { z } from 'zod';
import { jobSettingsSchemas } from '../../../lib/domain/iot-job-settings.js';
import { attributesSchema, descriptionSchema, noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const createThingGroup = defineOperation({
  name: 'CreateThingGroup',
  method: 'POST',
  path: '/thing-groups/{thingGroupName}',
  schemas: {
    params: z.object({ thingGroupName: thingNameSchema }),
    query: noInput,
    body: z.object({
      parentGroupName: thingNameSchema.optional(),
      thingGroupProperties: z
        .object({
          thingGroupDescription: descriptionSchema.optional(),
          attributePayload: z
            .object({ attributes: attributesSchema.optional(), merge: z.boolean().optional() })
            .optional(),
        })
        .optional(),
      tags: jobSettingsSchemas('lenient').tags.optional(),
    }),
  },
  run(ctx, { params, body }) {
    const group = ctx.things.createThingGroup({
      thingGroupName: params.thingGroupName,
      parentGroupName: body.parentGroupName,
      description: body.thingGroupProperties?.thingGroupDescription,
      attributes: body.thingGroupProperties?.attributePayload?.attributes,
    });
    return {
      thingGroupName: group.thingGroupName,
      thingGroupArn: group.thingGroupArn,
      thingGroupId: group.thingGroupId,
    };
  },
});
