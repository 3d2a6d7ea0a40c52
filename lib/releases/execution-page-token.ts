/**
 * The `nextToken` of a wave's executions. A wave may hold more than one IoT
 * job (its first job, then the follow-up jobs of a halted wave), and a page
 * may end inside any of them, so the token carries which job the next page
 * starts in and IoT's own token within that job. It also carries the status
 * filter it was made for: a token is only good for the same filter.
 * Opaque to callers (base64url JSON); anything else is a 400.
 */
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';

/** Where the next page starts. */
export interface ExecutionCursor {
  /** Index of the wave's job (0 its first job, then its follow-up jobs in order). */
  job: number;
  /** IoT's nextToken within that job; absent: from the job's first execution. */
  iotToken?: string;
}

const tokenSchema = z.strictObject({
  j: z.number().int().min(0),
  t: z.string().min(1).optional(),
  s: z.string().optional(),
});

/** The token of `cursor` under the status filter `status`. */
export function encodeExecutionToken(cursor: ExecutionCursor, status: string | undefined): string {
  const token = {
    j: cursor.job,
    ...(cursor.iotToken && { t: cursor.iotToken }),
    ...(status && { s: status }),
  };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function refuse(message: string): never {
  throw new ValidationError('Invalid request: nextToken.', [{ path: 'nextToken', message }]);
}

/**
 * The cursor of a token this API made for the same filter, on a wave of
 * `jobCount` jobs. @throws ValidationError for anything else
 */
export function decodeExecutionToken(
  token: string,
  status: string | undefined,
  jobCount: number,
): ExecutionCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    refuse('is not a token this API gave');
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success) refuse('is not a token this API gave');
  const { j, t, s } = parsed.data;
  if (s !== status) refuse('was given for another status filter');
  if (j >= jobCount) refuse('is not a token this API gave for this wave');
  return { job: j, ...(t !== undefined && { iotToken: t }) };
}
