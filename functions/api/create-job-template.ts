/** POST /job-templates: creates an AWS IoT job template; 201 with its id and ARN, `Location` naming it. */
import { jobTemplateStore } from '../../lib/adapters/iot-job-templates.js';
import { createJobTemplateRequestSchema } from '../../lib/domain/job-template.js';
import { created, httpHandler } from '../../lib/http/index.js';

export const handler = httpHandler({ body: createJobTemplateRequestSchema }, async ({ body }) => {
  const { jobTemplateId, ...settings } = body;
  const template = await jobTemplateStore().create(jobTemplateId, settings);
  return created(template, `/job-templates/${encodeURIComponent(template.jobTemplateId)}`);
});
