/**
 * The `nextToken` of a wave's executions. A wave may hold more than one IoT
 * job (its first job, then the follow-up jobs of a halted wave), and a page
 * may end inside any of them, so the token carries which job the next page
 * starts in and IoT's own token within that job. It is bound to what it was
 * made for: the status filter, and a hash of the release, the wave and the
 * job's id, so a token of another wave (or one edited to point at another
 * job) is refused rather than silently skipping executions.
 * Opaque to callers (base64url JSON); anything else is a 400.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';

/** Where the next page starts. */
export interface ExecutionCursor {
  /** Index of the wave's job (0 its first job, then its follow-up jobs in order). */
  job: number;
  /** IoT's nextToken within that job; absent: from the job's first execution. */
  iotToken?: string;
}

/** The wave a token is for: its release, its number and its jobs in order. */
export interface TokenScope {
  releaseId: string;
  waveNumber: number;
  jobIds: readonly string[];
}

const tokenSchema = z.strictObject({
  j: z.number().int().min(0),
  t: z.string().min(1).optional(),
  s: z.string().optional(),
  h: z.string(),
});

/** A short hash naming the release, wave and job a token points into (not a secret: a check of intent). */
function scopeHash(scope: TokenScope, job: number): string {
  const jobId = scope.jobIds[job] ?? '';
  return createHash('sha256')
    .update(`${scope.releaseId}\n${scope.waveNumber}\n${jobId}`, 'utf8')
    .digest('base64url')
    .slice(0, 16);
}

/** The token of `cursor` on the wave `scope` under the status filter `status`. */
export function encodeExecutionToken(
  cursor: ExecutionCursor,
  status: string | undefined,
  scope: TokenScope,
): string {
  const token = {
    j: cursor.job,
    ...(cursor.iotToken && { t: cursor.iotToken }),
    ...(status && { s: status }),
    h: scopeHash(scope, cursor.job),
  };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function refuse(message: string): never {
  throw new ValidationError('Invalid request: nextToken.', [{ path: 'nextToken', message }]);
}

/**
 * The cursor of a token this API made for the same filter on the wave
 * `scope`. @throws ValidationError for anything else
 */
export function decodeExecutionToken(
  token: string,
  status: string | undefined,
  scope: TokenScope,
): ExecutionCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    refuse('is not a token this API gave');
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success) refuse('is not a token this API gave');
  const { j, t, s, h } = parsed.data;
  if (s !== status) refuse('was given for another status filter');
  if (j >= scope.jobIds.length || h !== scopeHash(scope, j)) {
    refuse('is not a token this API gave for this wave');
  }
  return { job: j, ...(t !== undefined && { iotToken: t }) };
}
