/** DeleteJobTemplate: `DELETE /job-templates/{jobTemplateId}`. */
import { z } from 'zod';
import { notFound } from '../errors.js';
import { noInput, resourceIdSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const deleteJobTemplate = defineOperation({
  name: 'DeleteJobTemplate',
  method: 'DELETE',
  path: '/job-templates/{jobTemplateId}',
  schemas: { params: z.object({ jobTemplateId: resourceIdSchema }), query: noInput, body: noInput },
  run(ctx, { params }) {
    if (!ctx.templates.delete(params.jobTemplateId)) {
      throw notFound(`Job template ${params.jobTemplateId} cannot be found.`);
    }
    return undefined;
  },
});
