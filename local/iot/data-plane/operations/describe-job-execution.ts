/**
 * DescribeJobExecution of the data plane: `GET /things/{thingName}/jobs/{jobId}`
 * with `includeJobDocument` and `executionNumber` in the query. The control
 * plane has the same path (signed `iot`), so this one lives in its own service.
 */
import { z } from 'zod';
import { deviceJobIdSchema, executionNumberQuery } from '../../device-jobs/device-job-schemas.js';
import { defineOperation } from '../../operations/operation.js';
import { booleanQuery, noInput, thingNameSchema } from '../../validation/fields.js';
import type { DataPlaneContext } from '../data-plane-context.js';
import { executionResponse } from '../wire-views.js';

export const describeJobExecution = defineOperation({
  name: 'DescribeJobExecution',
  method: 'GET',
  path: '/things/{thingName}/jobs/{jobId}',
  schemas: {
    params: z.object({ thingName: thingNameSchema, jobId: deviceJobIdSchema }),
    query: z.object({ includeJobDocument: booleanQuery, executionNumber: executionNumberQuery }),
    body: noInput,
  },
  run(ctx: DataPlaneContext, { params, query }) {
    const execution = ctx.devices.describe(params.thingName, params.jobId, {
      // "Unless set to false, the response contains the job document. The default is true."
      includeJobDocument: query.includeJobDocument ?? true,
      ...(query.executionNumber !== undefined && { executionNumber: query.executionNumber }),
    });
    return executionResponse(execution);
  },
});
