/** GET /job-templates/{jobTemplateId}: every field DescribeJobTemplate returns, `createdAt` as ISO 8601. */
import { jobTemplateStore } from '../../lib/adapters/iot-job-templates.js';
import { jobTemplatePathSchema } from '../../lib/domain/job-template.js';
import { httpHandler, ok } from '../../lib/http/index.js';

export const handler = httpHandler({ path: jobTemplatePathSchema }, async ({ path }) =>
  ok(await jobTemplateStore().describe(path.jobTemplateId)),
);
