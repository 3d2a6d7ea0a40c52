/** CreateJobTemplate: `PUT /job-templates/{jobTemplateId}`. */
import { z } from 'zod';
import { jobSettingsSchemas } from '../../../lib/domain/iot-job-settings.js';
import { invalidRequest, notFound } from '../errors.js';
import { mergeSettings } from '../jobs/job-settings.js';
import { noInput, resourceIdSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const createJobTemplate = defineOperation({
  name: 'CreateJobTemplate',
  method: 'PUT',
  path: '/job-templates/{jobTemplateId}',
  schemas: {
    params: z.object({ jobTemplateId: resourceIdSchema }),
    query: noInput,
    body: jobSettingsSchemas('lenient').createJobTemplateBody,
  },
  run(ctx, { params, body }) {
    const { jobArn, description, tags, maintenanceWindows, ...own } = body;
    let settings = own;
    let windows = maintenanceWindows;
    if (jobArn !== undefined) {
      // A template made from a job copies that job's document and configurations.
      const jobId = ctx.arns.idOf(jobArn, 'job');
      if (jobId === undefined && !/^arn:aws:iot:[a-z0-9-]+:\d{12}:job\/.+$/.test(jobArn)) {
        throw invalidRequest(`jobArn ${jobArn} is not a valid job ARN.`);
      }
      const job = jobId === undefined ? undefined : ctx.jobs.getJob(jobId);
      if (!job) throw notFound(`Job ${jobArn} cannot be found.`);
      settings = mergeSettings(job, own);
      windows ??= job.schedulingConfig?.maintenanceWindows;
    }
    const template = ctx.templates.create({
      jobTemplateId: params.jobTemplateId,
      description,
      tags,
      ...settings,
      ...(windows === undefined ? {} : { maintenanceWindows: windows }),
    });
    return { jobTemplateArn: template.jobTemplateArn, jobTemplateId: template.jobTemplateId };
  },
});
