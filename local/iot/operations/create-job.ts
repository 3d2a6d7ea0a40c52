/** CreateJob: `PUT /jobs/{jobId}`, from a document, a document source or a job template. */
import { z } from 'zod';
import { jobSettingsSchemas } from '../../../lib/domain/iot-job-settings.js';
import { scheduleTimeProblems } from '../../../lib/domain/schedule-time.js';
import { invalidRequest, notFound } from '../errors.js';
import { inheritWindows, mergeSettings } from '../jobs/job-settings.js';
import { noInput, resourceIdSchema } from '../validation/fields.js';
import { constraintError } from '../validation/validate.js';
import { defineOperation } from './operation.js';

export const createJob = defineOperation({
  name: 'CreateJob',
  method: 'PUT',
  path: '/jobs/{jobId}',
  schemas: {
    params: z.object({ jobId: resourceIdSchema }),
    query: noInput,
    body: jobSettingsSchemas('lenient').createJobBody,
  },
  run(ctx, { params, body }) {
    const {
      targets,
      targetSelection,
      jobTemplateArn,
      description,
      namespaceId,
      documentParameters,
      tags,
      schedulingConfig,
      ...own
    } = body;
    // How far ahead the times may be depends on now: the local stack's virtual clock.
    const timeProblems = scheduleTimeProblems(schedulingConfig ?? {}, ctx.clock.now());
    if (timeProblems.length > 0) {
      throw constraintError(timeProblems.map((p) => ({ ...p, path: `schedulingConfig.${p.path}` })));
    }
    let settings = own;
    let scheduling = schedulingConfig;
    if (jobTemplateArn !== undefined) {
      const templateId = ctx.arns.idOf(jobTemplateArn, 'jobtemplate');
      if (
        templateId === undefined &&
        !/^arn:aws:iot:[a-z0-9-]+:\d{12}:jobtemplate\/.+$/.test(jobTemplateArn)
      ) {
        throw invalidRequest(`jobTemplateArn ${jobTemplateArn} is not a valid job template ARN.`);
      }
      const template = templateId === undefined ? undefined : ctx.templates.get(templateId);
      if (!template) throw notFound(`Job template ${jobTemplateArn} cannot be found.`);
      // The template supplies the document and configurations; what the request gives overrides them.
      settings = mergeSettings(template, own);
      scheduling = inheritWindows(schedulingConfig, template.maintenanceWindows);
    }
    const job = ctx.jobs.createJob({
      ...settings,
      jobId: params.jobId,
      targets,
      targetSelection: targetSelection ?? 'SNAPSHOT',
      description,
      jobTemplateArn,
      namespaceId,
      documentParameters,
      tags,
      schedulingConfig: scheduling,
    });
    return { jobArn: job.jobArn, jobId: job.jobId, description: job.description };
  },
});
