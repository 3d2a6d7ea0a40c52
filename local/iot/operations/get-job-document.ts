/** GetJobDocument: `GET /jobs/{jobId}/job-document`. */
import { z } from 'zod';
import { booleanQuery, noInput, resourceIdSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const getJobDocument = defineOperation({
  name: 'GetJobDocument',
  method: 'GET',
  path: '/jobs/{jobId}/job-document',
  schemas: {
    params: z.object({ jobId: resourceIdSchema }),
    query: z.object({ beforeSubstitution: booleanQuery }),
    body: noInput,
  },
  run(ctx, { params }) {
    // A job made from a documentSource has no inline document: S3 is not emulated.
    return { document: ctx.jobs.requireJob(params.jobId).document };
  },
});
