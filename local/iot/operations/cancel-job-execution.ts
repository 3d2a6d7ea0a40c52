/**
 * CancelJobExecution: `PUT /things/{thingName}/jobs/{jobId}/cancel?force`,
 * body `expectedVersion`, `statusDetails`. A QUEUED execution is canceled; an
 * IN_PROGRESS one only with `force`; a terminal one never. A stale
 * `expectedVersion` is VersionConflictException.
 */
import { z } from 'zod';
import { IotError, invalidStateTransition, notFound } from '../errors.js';
import { booleanQuery, resourceIdSchema, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const cancelJobExecution = defineOperation({
  name: 'CancelJobExecution',
  method: 'PUT',
  path: '/things/{thingName}/jobs/{jobId}/cancel',
  schemas: {
    params: z.object({ thingName: thingNameSchema, jobId: resourceIdSchema }),
    query: z.object({ force: booleanQuery }),
    body: z.object({
      expectedVersion: z.number().int().optional(),
      statusDetails: z.record(z.string().min(1).max(128), z.string().min(1).max(1024)).optional(),
    }),
  },
  run(ctx, { params, query, body }) {
    const job = ctx.jobs.requireJob(params.jobId);
    const execution = job.executions.get(params.thingName);
    if (!execution)
      throw notFound(`Job execution of job ${params.jobId} on thing ${params.thingName} cannot be found.`);
    if (body.expectedVersion !== undefined && body.expectedVersion !== execution.versionNumber) {
      throw new IotError(
        'VersionConflictException',
        `Expected version ${body.expectedVersion} does not match the current version ${execution.versionNumber}.`,
      );
    }
    const force = query.force ?? false;
    if (execution.status !== 'QUEUED' && !(execution.status === 'IN_PROGRESS' && force)) {
      throw invalidStateTransition(
        `Job execution in status ${execution.status} cannot be canceled${execution.status === 'IN_PROGRESS' ? ' without force' : ''}.`,
      );
    }
    if (!ctx.jobs.transition(params.jobId, params.thingName, 'CANCELED', body.statusDetails)) {
      throw invalidStateTransition(`Job execution of job ${params.jobId} cannot be canceled now.`);
    }
    if (force) job.executions.markForceCanceled(job.executions.indexOf(params.thingName)!);
    return undefined;
  },
});
