/** StartNextPendingJobExecution: `PUT /things/{thingName}/jobs/$next`. */
import { z } from 'zod';
import { startNextInputSchema } from '../../device-jobs/device-job-schemas.js';
import { defineOperation } from '../../operations/operation.js';
import { noInput, thingNameSchema } from '../../validation/fields.js';
import type { DataPlaneContext } from '../data-plane-context.js';
import { executionResponse } from '../wire-views.js';

export const startNextPendingJobExecution = defineOperation({
  name: 'StartNextPendingJobExecution',
  method: 'PUT',
  path: '/things/{thingName}/jobs/$next',
  schemas: { params: z.object({ thingName: thingNameSchema }), query: noInput, body: startNextInputSchema },
  run(ctx: DataPlaneContext, { params, body }) {
    return executionResponse(ctx.devices.startNext(params.thingName, body));
  },
});
