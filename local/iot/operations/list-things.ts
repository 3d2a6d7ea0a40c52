/** ListThings: `GET /things?nextToken&maxResults&attributeName&attributeValue&thingTypeName&usePrefixAttributeValue`. */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import type { ThingRecord } from '../registry/registry-records.js';
import {
  booleanQuery,
  defaultPageSize,
  maxResultsQuery,
  nextTokenQuery,
  noInput,
  thingNameSchema,
} from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const listThings = defineOperation({
  name: 'ListThings',
  method: 'GET',
  path: '/things',
  schemas: {
    params: noInput,
    query: z.object({
      nextToken: nextTokenQuery,
      maxResults: maxResultsQuery,
      attributeName: z.string().max(128).optional(),
      attributeValue: z.string().max(800).optional(),
      thingTypeName: thingNameSchema.optional(),
      usePrefixAttributeValue: booleanQuery,
    }),
    body: noInput,
  },
  run(ctx, { query }) {
    const { attributeName, attributeValue, thingTypeName, usePrefixAttributeValue } = query;
    const filtered = attributeName !== undefined || thingTypeName !== undefined;
    const accepts = (t: ThingRecord) => {
      if (thingTypeName !== undefined && t.thingTypeName !== thingTypeName) return false;
      if (attributeName === undefined) return true;
      const value = t.attributes[attributeName];
      if (value === undefined) return false;
      if (attributeValue === undefined) return true;
      return usePrefixAttributeValue ? value.startsWith(attributeValue) : value === attributeValue;
    };
    const page = paginate(
      ctx.things.thingList,
      'things',
      query,
      defaultPageSize,
      filtered ? accepts : undefined,
    );
    return {
      things: page.items.map((t) => ({
        thingName: t.thingName,
        thingTypeName: t.thingTypeName,
        thingArn: t.thingArn,
        attributes: { ...t.attributes },
        version: t.version,
      })),
      nextToken: page.nextToken,
    };
  },
});
