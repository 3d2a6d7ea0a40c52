/** CancelJob: `PUT /jobs/{jobId}/cancel?force`, body `reasonCode`, `comment`. */
import { z } from 'zod';
import { booleanQuery, commentSchema, reasonCodeSchema, resourceIdSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const cancelJob = defineOperation({
  name: 'CancelJob',
  method: 'PUT',
  path: '/jobs/{jobId}/cancel',
  schemas: {
    params: z.object({ jobId: resourceIdSchema }),
    query: z.object({ force: booleanQuery }),
    body: z.object({ reasonCode: reasonCodeSchema.optional(), comment: commentSchema.optional() }),
  },
  run(ctx, { params, query, body }) {
    const job = ctx.jobs.cancelJob(params.jobId, { force: query.force ?? false, ...body });
    return { jobArn: job.jobArn, jobId: job.jobId, description: job.description };
  },
});
