/** GetPendingJobExecutions: `GET /things/{thingName}/jobs`. */
import { z } from 'zod';
import { defineOperation } from '../../operations/operation.js';
import { noInput, thingNameSchema } from '../../validation/fields.js';
import type { DataPlaneContext } from '../data-plane-context.js';
import { summaryWire } from '../wire-views.js';

export const getPendingJobExecutions = defineOperation({
  name: 'GetPendingJobExecutions',
  method: 'GET',
  path: '/things/{thingName}/jobs',
  schemas: { params: z.object({ thingName: thingNameSchema }), query: noInput, body: noInput },
  run(ctx: DataPlaneContext, { params }) {
    const { inProgressJobs, queuedJobs } = ctx.devices.pending(params.thingName);
    return { inProgressJobs: inProgressJobs.map(summaryWire), queuedJobs: queuedJobs.map(summaryWire) };
  },
});
