/** DELETE /job-templates/{jobTemplateId}: deletes the template; 204. */
import { jobTemplateStore } from '../../lib/adapters/iot-job-templates.js';
import { jobTemplatePathSchema } from '../../lib/domain/job-template.js';
import { httpHandler, noContent } from '../../lib/http/index.js';

export const handler = httpHandler({ path: jobTemplatePathSchema }, async ({ path }) => {
  await jobTemplateStore().delete(path.jobTemplateId);
  return noContent();
});
