/** CreateThing: `POST /things/{thingName}`. */
import { z } from 'zod';
import { attributePayloadSchema, noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const createThing = defineOperation({
  name: 'CreateThing',
  method: 'POST',
  path: '/things/{thingName}',
  schemas: {
    params: z.object({ thingName: thingNameSchema }),
    query: noInput,
    body: z.object({
      thingTypeName: thingNameSchema.optional(),
      attributePayload: attributePayloadSchema.optional(),
      billingGroupName: thingNameSchema.optional(),
    }),
  },
  run(ctx, { params, body }) {
    const thing = ctx.things.createThing({
      thingName: params.thingName,
      thingTypeName: body.thingTypeName,
      attributes: body.attributePayload?.attributes,
      billingGroupName: body.billingGroupName,
    });
    return { thingName: thing.thingName, thingArn: thing.thingArn, thingId: thing.thingId };
  },
});
