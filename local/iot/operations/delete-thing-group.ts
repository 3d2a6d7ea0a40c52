/** DeleteThingGroup: `DELETE /thing-groups/{thingGroupName}?expectedVersion`. */
import { z } from 'zod';
import { noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const deleteThingGroup = defineOperation({
  name: 'DeleteThingGroup',
  method: 'DELETE',
  path: '/thing-groups/{thingGroupName}',
  schemas: {
    params: z.object({ thingGroupName: thingNameSchema }),
    query: z.object({ expectedVersion: z.coerce.number().int('must be an integer').optional() }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    // AWS answers 200 for a group that does not exist: deleting is idempotent.
    ctx.things.deleteThingGroup(params.thingGroupName, query.expectedVersion);
    return undefined;
  },
});
