/** ListJobExecutionsForThing: `GET /things/{thingName}/jobs?status&namespaceId&maxResults&nextToken&jobId`. */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import {
  defaultPageSize,
  executionStatusQuery,
  maxResultsQuery,
  nextTokenQuery,
  noInput,
  resourceIdSchema,
  thingNameSchema,
} from '../validation/fields.js';
import { executionSummary } from './job-views.js';
import { defineOperation } from './operation.js';

export const listJobExecutionsForThing = defineOperation({
  name: 'ListJobExecutionsForThing',
  method: 'GET',
  path: '/things/{thingName}/jobs',
  schemas: {
    params: z.object({ thingName: thingNameSchema }),
    query: z.object({
      status: executionStatusQuery,
      namespaceId: z.string().min(1).max(64).optional(),
      maxResults: maxResultsQuery,
      nextToken: nextTokenQuery,
      jobId: resourceIdSchema.optional(),
    }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    // Jobs are few (the active-job limit), so walking them per page is cheap; executions are not walked.
    const page = paginate(
      ctx.jobs.jobList,
      `thing-executions:${params.thingName}`,
      query,
      defaultPageSize,
      (job) => {
        const e = job.executions.get(params.thingName);
        return (
          e !== undefined &&
          (query.status === undefined || e.status === query.status) &&
          (query.jobId === undefined || job.jobId === query.jobId) &&
          (query.namespaceId === undefined || job.namespaceId === query.namespaceId)
        );
      },
    );
    return {
      executionSummaries: page.items.map((job) => ({
        jobId: job.jobId,
        jobExecutionSummary: executionSummary(job.executions.get(params.thingName)!),
      })),
      nextToken: page.nextToken,
    };
  },
});
