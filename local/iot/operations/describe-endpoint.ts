/** DescribeEndpoint: `GET /endpoint?endpointType`; the local addresses, see endpoint-addresses.ts. */
import { z } from 'zod';
import { noInput } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const describeEndpoint = defineOperation({
  name: 'DescribeEndpoint',
  method: 'GET',
  path: '/endpoint',
  schemas: {
    params: noInput,
    query: z.object({
      endpointType: z.string().max(128, 'must have length less than or equal to 128').optional(),
    }),
    body: noInput,
  },
  run(ctx, { query }) {
    return { endpointAddress: ctx.endpoints.describe(query.endpointType) };
  },
});
