/** DescribeJob: `GET /jobs/{jobId}?beforeSubstitution`. Counters are O(1) whatever the fleet size. */
import { z } from 'zod';
import { booleanQuery, noInput, resourceIdSchema } from '../validation/fields.js';
import { jobView } from './job-views.js';
import { defineOperation } from './operation.js';

export const describeJob = defineOperation({
  name: 'DescribeJob',
  method: 'GET',
  path: '/jobs/{jobId}',
  schemas: {
    params: z.object({ jobId: resourceIdSchema }),
    query: z.object({ beforeSubstitution: booleanQuery }),
    body: noInput,
  },
  run(ctx, { params }) {
    const job = ctx.jobs.requireJob(params.jobId);
    return { documentSource: job.documentSource, job: jobView(job, ctx.clock.now()) };
  },
});
