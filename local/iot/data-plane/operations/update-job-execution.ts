/** UpdateJobExecution: `POST /things/{thingName}/jobs/{jobId}`. */
import { z } from 'zod';
import { updateInputSchema } from '../../device-jobs/device-job-schemas.js';
import { defineOperation } from '../../operations/operation.js';
import { noInput, resourceIdSchema, thingNameSchema } from '../../validation/fields.js';
import type { DataPlaneContext } from '../data-plane-context.js';

export const updateJobExecution = defineOperation({
  name: 'UpdateJobExecution',
  method: 'POST',
  path: '/things/{thingName}/jobs/{jobId}',
  schemas: {
    params: z.object({ thingName: thingNameSchema, jobId: resourceIdSchema }),
    query: noInput,
    body: updateInputSchema,
  },
  run(ctx: DataPlaneContext, { params, body }) {
    return ctx.devices.update(params.thingName, params.jobId, body);
  },
});
