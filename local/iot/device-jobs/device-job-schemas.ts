/**
 * The inputs of the device side of AWS IoT Jobs, with the data plane's
 * limits (the `@aws-sdk/client-iot-jobs-data-plane` model and AWS's API
 * reference), shared by the HTTPS data plane and the MQTT jobs topics so a
 * request refused by one is refused by the other.
 */
import { z } from 'zod';
import { resourceIdSchema } from '../../../lib/domain/iot-job-settings.js';

/** The statuses a device may report: "IN_PROGRESS, FAILED, SUCCEEDED, or REJECTED". */
const deviceStatuses = ['IN_PROGRESS', 'FAILED', 'SUCCEEDED', 'REJECTED'] as const;

/** The jobId of a request that names an execution: a job id, or `$next` where the operation takes it. */
export const deviceJobIdSchema = z.union([z.literal('$next'), resourceIdSchema]);

/** `statusDetails`: at most 10 entries; names 1–128 of `[a-zA-Z0-9:_-]`, values 1–1024 printable characters. */
export const statusDetailsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(128)
      .regex(/^[a-zA-Z0-9:_-]+$/, 'must satisfy regular expression pattern: [a-zA-Z0-9:_-]+'),
    z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[^\p{C}]+$/u, 'must satisfy regular expression pattern: [^\\p{C}]+'),
  )
  .refine((details) => Object.keys(details).length <= 10, 'must have at most 10 entries');

/** `stepTimeoutInMinutes` of StartNextPendingJobExecution: 1 to 10080 (7 days). */
const stepTimeoutSchema = z.number().int().min(1).max(10_080);

/** `stepTimeoutInMinutes` of UpdateJobExecution: also -1, which cancels the step timer. */
const updateStepTimeoutSchema = z.union([z.literal(-1), stepTimeoutSchema]);

/** `executionNumber` and `expectedVersion`: longs, never negative. */
export const executionNumberSchema = z.number().int().min(0);

/** The body of StartNextPendingJobExecution (and of the MQTT `start-next` request, beside `clientToken`). */
export const startNextInputSchema = z.object({
  statusDetails: statusDetailsSchema.optional(),
  stepTimeoutInMinutes: stepTimeoutSchema.optional(),
});
export type StartNextInput = z.infer<typeof startNextInputSchema>;

/** The body of UpdateJobExecution (and of the MQTT `{jobId}/update` request, beside `clientToken`). */
export const updateInputSchema = z.object({
  status: z.enum(deviceStatuses),
  statusDetails: statusDetailsSchema.optional(),
  stepTimeoutInMinutes: updateStepTimeoutSchema.optional(),
  expectedVersion: executionNumberSchema.optional(),
  includeJobExecutionState: z.boolean().optional(),
  includeJobDocument: z.boolean().optional(),
  executionNumber: executionNumberSchema.optional(),
});
export type UpdateInput = z.infer<typeof updateInputSchema>;

/** What DescribeJobExecution takes beside the names. */
export interface DescribeInput {
  includeJobDocument?: boolean;
  executionNumber?: number;
}

/** `executionNumber` as a query parameter (DescribeJobExecution over HTTPS), which arrives as a string. */
export const executionNumberQuery = z.coerce
  .number()
  .int('must be an integer')
  .min(0, 'must have value greater than or equal to 0')
  .optional();
