/** DescribeJobTemplate: `GET /job-templates/{jobTemplateId}`. */
import { z } from 'zod';
import { notFound } from '../errors.js';
import { noInput, resourceIdSchema } from '../validation/fields.js';
import { defineOperation, epochSeconds } from './operation.js';

export const describeJobTemplate = defineOperation({
  name: 'DescribeJobTemplate',
  method: 'GET',
  path: '/job-templates/{jobTemplateId}',
  schemas: { params: z.object({ jobTemplateId: resourceIdSchema }), query: noInput, body: noInput },
  run(ctx, { params }) {
    const t = ctx.templates.get(params.jobTemplateId);
    if (!t) throw notFound(`Job template ${params.jobTemplateId} cannot be found.`);
    return {
      jobTemplateArn: t.jobTemplateArn,
      jobTemplateId: t.jobTemplateId,
      description: t.description,
      documentSource: t.documentSource,
      document: t.document,
      createdAt: epochSeconds(t.createdAt),
      presignedUrlConfig: t.presignedUrlConfig,
      jobExecutionsRolloutConfig: t.jobExecutionsRolloutConfig,
      abortConfig: t.abortConfig,
      timeoutConfig: t.timeoutConfig,
      jobExecutionsRetryConfig: t.jobExecutionsRetryConfig,
      maintenanceWindows: t.maintenanceWindows,
    };
  },
});
