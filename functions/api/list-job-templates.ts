/** GET /job-templates?limit=&nextToken=: one page of templates, `{items, nextToken}`. */
import { jobTemplateStore } from '../../lib/adapters/iot-job-templates.js';
import { listJobTemplatesQuerySchema } from '../../lib/domain/job-template.js';
import { httpHandler, ok } from '../../lib/http/index.js';

export const handler = httpHandler({ query: listJobTemplatesQuerySchema }, async ({ query }) =>
  ok(await jobTemplateStore().list(query)),
);
