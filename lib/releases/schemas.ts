/**
 * What the release routes accept, as zod schemas the HTTP layer enforces
 * (and the OpenAPI document is checked against). The body of
 * `POST /releases` is the release request (`lib/domain/release-request.ts`)
 * with `releaseId` optional, under the same cross-field rules.
 */
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { descriptionSchema } from '../domain/iot-job-settings.js';
import { pageLimitQuery } from '../domain/page-limit-query.js';
import {
  checkReleaseRules,
  releaseIdSchema,
  releaseRequestFields,
  storedReleaseIdSchema,
} from '../domain/release-request.js';
import { releaseStatuses } from '../domain/statuses.js';

/**
 * Largest `POST /releases` body, refused (413) before it is parsed. A body
 * under it can still make a release too large to store: see
 * `MAX_STORED_RELEASE_BYTES`.
 */
export const MAX_RELEASE_BODY_BYTES = 1024 * 1024;

/** Largest body of the cancel, approve and reject routes: a comment and a flag. */
export const MAX_ACTION_BODY_BYTES = 16 * 1024;

const RELEASE_PAGE = { default: 25, max: 100 } as const;
const HISTORY_PAGE = { default: 100, max: 500 } as const;

/** POST /releases body: the release request; without `releaseId`, one is derived from `Idempotency-Key`. */
export const createReleaseBodySchema = z
  .strictObject({ ...releaseRequestFields, releaseId: releaseIdSchema.optional() })
  .superRefine(checkReleaseRules);
export type CreateReleaseBody = z.output<typeof createReleaseBodySchema>;

/**
 * Largest body of the retry and rollback routes: a template id and up to
 * 50 percentage waves, each with its own settings.
 */
export const MAX_DERIVE_BODY_BYTES = 64 * 1024;

/** What a retry or rollback takes besides the original: its id, template and waves (percentages of its things). */
const deriveReleaseFields = {
  releaseId: releaseIdSchema.optional(),
  jobTemplateId: releaseRequestFields.jobTemplateId.optional(),
  waves: releaseRequestFields.waves.optional(),
};

/** POST /releases/{releaseId}/retry body (optional): the original's template and one wave unless given. */
export const retryReleaseBodySchema = z.strictObject(deriveReleaseFields).optional();
/** A retry or rollback body, as parsed or as a caller writes it (defaults may be left out). */
export type DeriveReleaseBody = z.input<typeof retryReleaseBodySchema>;

/** POST /releases/{releaseId}/rollback body: the template that puts the previous version back. */
export const rollbackReleaseBodySchema = z.strictObject({
  ...deriveReleaseFields,
  jobTemplateId: releaseRequestFields.jobTemplateId,
});

/** A client's retry key: 1–255 visible ASCII characters (a UUID is typical). */
export const idempotencyKeySchema = z
  .string()
  .min(1, 'must be at least 1 character')
  .max(255, 'must be at most 255 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters (no spaces)');

/**
 * POST /releases query: `dryRun=true` plans the release instead of creating
 * it (`lib/releases/plan-release.ts`); `dryRun=false` is the same as leaving it out.
 */
export const createReleaseQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'], "must be 'true' or 'false'")
    .transform((v) => v === 'true')
    .pipe(z.boolean())
    .optional(),
});

export const createReleaseHeadersSchema = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });

/** Path of every route on one release. */
export const releasePathSchema = z.object({ releaseId: storedReleaseIdSchema });

const nextTokenQuery = z.string().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters');

/**
 * GET /releases: newest first, optionally of one status. The page size is
 * `limit`, or `maxResults` (AWS's name, as the wave executions route has it);
 * both at once must agree.
 */
export const listReleasesQuerySchema = z
  .object({
    status: z.enum(releaseStatuses).optional(),
    limit: pageLimitQuery(RELEASE_PAGE.max).optional(),
    maxResults: pageLimitQuery(RELEASE_PAGE.max).optional(),
    nextToken: nextTokenQuery.optional(),
  })
  .refine((q) => q.limit === undefined || q.maxResults === undefined || q.limit === q.maxResults, {
    message: 'must equal limit when both are given',
    path: ['maxResults'],
  });

/** GET /releases/{releaseId}/history: oldest first. */
export const historyQuerySchema = z.object({
  limit: pageLimitQuery(HISTORY_PAGE.max).optional(),
  nextToken: nextTokenQuery.optional(),
});

/** A person's note, kept in the history (and passed to IoT as CancelJob's `comment`: IoT's limits). */
const commentSchema = descriptionSchema.min(1, 'must be at least 1 character');

/** POST /releases/{releaseId}/cancel body (optional). */
export const cancelReleaseBodySchema = z
  .strictObject({
    /** Also cancel the wave's IN_PROGRESS job executions (IoT CancelJob `force`), not only QUEUED ones. */
    force: z.boolean().optional(),
    comment: commentSchema.optional(),
  })
  .optional();

/** `?force=true|false`, the same switch as the body's `force`. */
export const cancelReleaseQuerySchema = z.object({
  force: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .pipe(z.boolean())
    .optional(),
});

/** POST /releases/{releaseId}/approve and /reject body (optional); also /resume's. */
export const approvalBodySchema = z.strictObject({ comment: commentSchema.optional() }).optional();

/** POST /releases/{releaseId}/pause body (optional). */
export const pauseBodySchema = z
  .strictObject({
    comment: commentSchema.optional(),
    /**
     * Stop the running wave at once too: CancelJob without force (running devices finish), the
     * rest of the wave in a follow-up job after the resume.
     */
    haltRollout: z.boolean().optional(),
  })
  .optional();

/**
 * The cancel's `force`, given in the body or the query string (false when
 * neither). @throws ValidationError when both are given and disagree
 */
export function cancelForce(query: boolean | undefined, body: boolean | undefined): boolean {
  if (query !== undefined && body !== undefined && query !== body) {
    throw new ValidationError('Invalid request: force.', [
      { path: 'force', message: 'is given in the query string and the body with different values' },
    ]);
  }
  return query ?? body ?? false;
}
