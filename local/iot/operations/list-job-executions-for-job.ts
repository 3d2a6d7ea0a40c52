/**
 * ListJobExecutionsForJob: `GET /jobs/{jobId}/things?status&maxResults&nextToken`.
 * A page costs O(page) even with a status filter on a 100,000-thing job:
 * each status has its own ordered list.
 */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import {
  defaultPageSize,
  executionStatusQuery,
  maxResultsQuery,
  nextTokenQuery,
  noInput,
  resourceIdSchema,
} from '../validation/fields.js';
import { executionSummary } from './job-views.js';
import { defineOperation } from './operation.js';

export const listJobExecutionsForJob = defineOperation({
  name: 'ListJobExecutionsForJob',
  method: 'GET',
  path: '/jobs/{jobId}/things',
  schemas: {
    params: z.object({ jobId: resourceIdSchema }),
    query: z.object({ status: executionStatusQuery, maxResults: maxResultsQuery, nextToken: nextTokenQuery }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    const job = ctx.jobs.requireJob(params.jobId);
    // The scope ties a token to this job instance and filter: a reused jobId or another status refuses it.
    const scope = `executions:${job.seq}:${query.status ?? '*'}`;
    const page = paginate(job.executions.list(query.status), scope, query, defaultPageSize);
    return {
      executionSummaries: page.items.map((e) => ({
        thingArn: e.thingArn,
        jobExecutionSummary: executionSummary(e),
      })),
      nextToken: page.nextToken,
    };
  },
});
