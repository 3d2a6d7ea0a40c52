/** Request members shared by several operations, with the SFN model's length limits. */
import { z } from 'zod';

const lengthMessage = (min: number, max: number) =>
  `Member must have length less than or equal to ${max} and greater than or equal to ${min}`;

export const arnField = z.string().min(1, lengthMessage(1, 256)).max(256, lengthMessage(1, 256));
export const maxResultsField = z
  .number()
  .int()
  .min(0, 'Member must have value greater than or equal to 0')
  .max(1000, 'Member must have value less than or equal to 1000')
  .optional();
export const nextTokenField = z
  .string()
  .min(1, lengthMessage(1, 1024))
  .max(1024, lengthMessage(1, 1024))
  .optional();
export const errorField = z.string().max(256, lengthMessage(0, 256)).optional();
export const causeField = z.string().max(32768, lengthMessage(0, 32768)).optional();
export const taskTokenField = z.string().min(1, lengthMessage(1, 2048)).max(2048, lengthMessage(1, 2048));
/** Execution input and task output: at most 256 KiB. */
export const payloadField = z.string().max(262144, lengthMessage(0, 262144));
