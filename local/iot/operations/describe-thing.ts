/** DescribeThing: `GET /things/{thingName}`. */
import { z } from 'zod';
import { notFound } from '../errors.js';
import { noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const describeThing = defineOperation({
  name: 'DescribeThing',
  method: 'GET',
  path: '/things/{thingName}',
  schemas: { params: z.object({ thingName: thingNameSchema }), query: noInput, body: noInput },
  run(ctx, { params }) {
    const thing = ctx.things.getThing(params.thingName);
    if (!thing) throw notFound(`Thing ${params.thingName} cannot be found.`);
    return {
      defaultClientId: thing.thingName,
      thingName: thing.thingName,
      thingId: thing.thingId,
      thingArn: thing.thingArn,
      thingTypeName: thing.thingTypeName,
      attributes: { ...thing.attributes },
      version: thing.version,
      billingGroupName: thing.billingGroupName,
    };
  },
});
