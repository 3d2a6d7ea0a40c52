/** DeleteJob: `DELETE /jobs/{jobId}?force&namespaceId`. */
import { z } from 'zod';
import { booleanQuery, noInput, resourceIdSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const deleteJob = defineOperation({
  name: 'DeleteJob',
  method: 'DELETE',
  path: '/jobs/{jobId}',
  schemas: {
    params: z.object({ jobId: resourceIdSchema }),
    query: z.object({ force: booleanQuery, namespaceId: z.string().min(1).max(64).optional() }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    ctx.jobs.deleteJob(params.jobId, query.force ?? false);
    return undefined;
  },
});
