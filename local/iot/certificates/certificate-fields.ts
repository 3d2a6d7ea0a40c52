/** Input fields of the certificate operations, with the model's constraints. */
import { z } from 'zod';
import { thingPrincipalTypes } from './certificate-records.js';

/** `certificateId`: 64 hex characters (the model also allows a `0x` prefix). */
export const certificateIdSchema = z
  .string()
  .length(64, 'must have length equal to 64')
  .regex(/^(0x)?[a-fA-F0-9]+$/, 'must satisfy regular expression pattern: (0x)?[a-fA-F0-9]+');

/** The `x-amzn-principal` header of AttachThingPrincipal and DetachThingPrincipal. */
export const principalHeaders = z.object({
  'x-amzn-principal': z.string().min(1, 'must have length greater than or equal to 1').max(2048),
});

export const thingPrincipalTypeQuery = z.enum(thingPrincipalTypes).optional();
