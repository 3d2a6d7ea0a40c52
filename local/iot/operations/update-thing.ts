/** UpdateThing: `PATCH /things/{thingName}`; answers an empty body, as AWS does. */
import { z } from 'zod';
import { attributePayloadSchema, noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const updateThing = defineOperation({
  name: 'UpdateThing',
  method: 'PATCH',
  path: '/things/{thingName}',
  schemas: {
    params: z.object({ thingName: thingNameSchema }),
    query: noInput,
    body: z.object({
      thingTypeName: thingNameSchema.optional(),
      attributePayload: attributePayloadSchema.optional(),
      expectedVersion: z.number().int().optional(),
      removeThingType: z.boolean().optional(),
    }),
  },
  run(ctx, { params, body }) {
    ctx.things.updateThing({
      thingName: params.thingName,
      thingTypeName: body.thingTypeName,
      removeThingType: body.removeThingType,
      attributes: body.attributePayload?.attributes,
      merge: body.attributePayload?.merge,
      expectedVersion: body.expectedVersion,
    });
    return {};
  },
});
