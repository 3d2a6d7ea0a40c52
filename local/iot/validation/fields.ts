/**
 * Field schemas shared by the operations, with the IoT model's constraints:
 * names and ids, query parameters (which arrive as strings) and page sizes.
 */
import { z } from 'zod';
import { descriptionSchema, resourceIdSchema } from '../../../lib/domain/iot-job-settings.js';
import { executionStatuses, jobStatuses } from '../jobs/job-service-port.js';

export { descriptionSchema, resourceIdSchema };

/** ThingName and ThingGroupName: 1–128 of `[a-zA-Z0-9:_-]`. */
export const thingNameSchema = z
  .string()
  .min(1, 'must have length greater than or equal to 1')
  .max(128, 'must have length less than or equal to 128')
  .regex(/^[a-zA-Z0-9:_-]+$/, 'must satisfy regular expression pattern: [a-zA-Z0-9:_-]+');

/** Attribute maps of things and thing groups. */
export const attributesSchema = z.record(
  z
    .string()
    .max(128)
    .regex(/^[a-zA-Z0-9_.,@/:#-]+$/, 'must satisfy regular expression pattern: [a-zA-Z0-9_.,@/:#-]+'),
  z
    .string()
    .max(800)
    .regex(
      /^[a-zA-Z0-9_.,@/:#=[\]-]*$/,
      'must satisfy regular expression pattern: [a-zA-Z0-9_.,@/:#=\\[\\]-]*',
    ),
);

/** `attributePayload` of CreateThing and UpdateThing: the attributes, and whether they merge with what is there. */
export const attributePayloadSchema = z.object({
  attributes: attributesSchema.optional(),
  merge: z.boolean().optional(),
});

/** `maxResults` of the List operations: 1–250. */
export const maxResultsQuery = z.coerce
  .number()
  .int('must be an integer')
  .min(1, 'must have value greater than or equal to 1')
  .max(250, 'must have value less than or equal to 250')
  .optional();

export const nextTokenQuery = z.string().min(1).optional();

/** A boolean query flag as the SDK sends it (`true`/`false`). */
export const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const jobStatusQuery = z.enum(jobStatuses).optional();
export const executionStatusQuery = z.enum(executionStatuses).optional();

/** CancelJob's `reasonCode`: up to 128 of upper-case letters, digits and `_`. */
export const reasonCodeSchema = z
  .string()
  .max(128, 'must have length less than or equal to 128')
  .regex(/^[\p{Lu}\p{Nd}_]+$/u, 'must satisfy regular expression pattern: [\\p{Upper}\\p{Digit}_]+');

/** A comment: up to 2028 characters, no control characters. */
export const commentSchema = z
  .string()
  .max(2028, 'must have length less than or equal to 2028')
  .regex(/^[^\p{C}]+$/u, 'must satisfy regular expression pattern: [^\\p{C}]+');

/** The schema for an empty part of a request (no labels, no query, no body). */
export const noInput = z.object({});

/** Page size when a List call gives no `maxResults`. */
export const defaultPageSize = 50;
