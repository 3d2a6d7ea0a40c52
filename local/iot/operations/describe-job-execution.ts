/** DescribeJobExecution: `GET /things/{thingName}/jobs/{jobId}?executionNumber`. */
import { z } from 'zod';
import { notFound } from '../errors.js';
import { noInput, resourceIdSchema, thingNameSchema } from '../validation/fields.js';
import { executionView } from './job-views.js';
import { defineOperation } from './operation.js';

export const describeJobExecution = defineOperation({
  name: 'DescribeJobExecution',
  method: 'GET',
  path: '/things/{thingName}/jobs/{jobId}',
  schemas: {
    params: z.object({ thingName: thingNameSchema, jobId: resourceIdSchema }),
    query: z.object({ executionNumber: z.coerce.number().int().min(0).optional() }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    const job = ctx.jobs.requireJob(params.jobId);
    const execution = job.executions.get(params.thingName);
    // Only the current attempt is kept: an earlier executionNumber is not found.
    if (
      !execution ||
      (query.executionNumber !== undefined && query.executionNumber !== execution.executionNumber)
    ) {
      throw notFound(`Job execution of job ${params.jobId} on thing ${params.thingName} cannot be found.`);
    }
    return { execution: executionView(job, execution, ctx.clock) };
  },
});
