/**
 * What the routes on a release's job executions accept (the wave's
 * executions, the failure reasons), and the shapes they answer, as zod
 * schemas: the HTTP layer enforces the first, and the OpenAPI document is
 * checked against both.
 */
import * as z from 'zod';
import { pageLimitQuery } from '../domain/page-limit-query.js';
import { storedReleaseIdSchema } from '../domain/release-request.js';
import { jobExecutionStatuses } from '../domain/statuses.js';
import { pageSchema } from './release-view.js';

/** The statuses a failure-reason summary counts: what a wave's failure threshold counts. */
export const failingExecutionStatuses = ['FAILED', 'TIMED_OUT', 'REJECTED'] as const;

const EXECUTION_PAGE = { default: 25, max: 100 } as const;

/** The default page size of a wave's executions. */
export const EXECUTION_PAGE_DEFAULT = EXECUTION_PAGE.default;

/**
 * A wave number in a path or query string: a whole number from 1. Whether
 * the release has that wave is the use case's question (a 404), so a number
 * above the release's waves, even above the most a release may have, is not
 * refused here; only what is no wave number at all (0, `-1`, `two`) is a 400.
 */
const waveNumberParam = () => {
  const rule = 'must be a whole number from 1';
  return z.string().regex(/^\d+$/, rule).transform(Number).pipe(z.number().int(rule).min(1, rule));
};

/** Path of GET /releases/{releaseId}/waves/{waveNumber}/executions. */
export const wavePathSchema = z.object({ releaseId: storedReleaseIdSchema, waveNumber: waveNumberParam() });

/** Query of GET /releases/{releaseId}/waves/{waveNumber}/executions. */
export const waveExecutionsQuerySchema = z.object({
  status: z.enum(jobExecutionStatuses).optional(),
  maxResults: pageLimitQuery(EXECUTION_PAGE.max).optional(),
  nextToken: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters').optional(),
});
export type WaveExecutionsQuery = z.output<typeof waveExecutionsQuerySchema>;

/** Query of GET /releases/{releaseId}/failure-reasons: one wave, or all when absent. */
export const failureReasonsQuerySchema = z.object({ wave: waveNumberParam().optional() });

/** One execution of a wave's job, with what its device reported. */
const waveExecutionSchema = z.object({
  thingName: z.string(),
  status: z.string(),
  /** The attempt (a retried execution counts up from 1). */
  executionNumber: z.number().int().optional(),
  queuedAt: z.string().optional(),
  startedAt: z.string().optional(),
  lastUpdatedAt: z.string().optional(),
  /** What the device reported (`statusDetails` of DescribeJobExecution); absent when none, or the execution is gone. */
  statusDetails: z.record(z.string(), z.string()).optional(),
  /** True when its `statusDetails` could not be read for this answer (IoT throttled the describe): ask again. */
  detailsUnavailable: z.literal(true).optional(),
});
export type WaveExecution = z.output<typeof waveExecutionSchema>;

/** GET /releases/{releaseId}/waves/{waveNumber}/executions. */
export const waveExecutionPageSchema = pageSchema(waveExecutionSchema);
export type WaveExecutionPage = z.output<typeof waveExecutionPageSchema>;

/** One reason failing executions gave, with how many gave it. */
const failureReasonSchema = z.object({
  /** `statusDetails.reason`, else `.error`, else `.errorCode`, else `no details (<STATUS>)`. */
  reason: z.string(),
  count: z.number().int().min(1),
  /** How many of them ended in each status. */
  statuses: z.partialRecord(z.enum(failingExecutionStatuses), z.number().int().min(1)),
  /** Up to 5 of the things that gave it. */
  thingNames: z.array(z.string()).max(5),
});
export type FailureReason = z.output<typeof failureReasonSchema>;

/** GET /releases/{releaseId}/failure-reasons. */
export const failureReasonsSchema = z.object({
  /** Most frequent first. */
  reasons: z.array(failureReasonSchema),
  /** Failing executions described (the counts are of these). */
  sampledExecutions: z.number().int().min(0),
  /** True when more executions failed than were sampled. */
  truncated: z.boolean(),
  /**
   * How many executions of the wave(s) failed in all (FAILED, TIMED_OUT, REJECTED), as the
   * workflow last recorded them (`counts` of the waves); absent while a started wave has none recorded.
   */
  failingExecutions: z.number().int().min(0).optional(),
});
export type FailureReasons = z.output<typeof failureReasonsSchema>;
