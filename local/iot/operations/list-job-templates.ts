/** ListJobTemplates: `GET /job-templates?maxResults&nextToken`. */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import { defaultPageSize, maxResultsQuery, nextTokenQuery, noInput } from '../validation/fields.js';
import { defineOperation, epochSeconds } from './operation.js';

export const listJobTemplates = defineOperation({
  name: 'ListJobTemplates',
  method: 'GET',
  path: '/job-templates',
  schemas: {
    params: noInput,
    query: z.object({ maxResults: maxResultsQuery, nextToken: nextTokenQuery }),
    body: noInput,
  },
  run(ctx, { query }) {
    const page = paginate(ctx.templates.list, 'job-templates', query, defaultPageSize);
    return {
      jobTemplates: page.items.map((t) => ({
        jobTemplateArn: t.jobTemplateArn,
        jobTemplateId: t.jobTemplateId,
        description: t.description,
        createdAt: epochSeconds(t.createdAt),
      })),
      nextToken: page.nextToken,
    };
  },
});
