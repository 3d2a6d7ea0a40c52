/**
 * Schemas for the AWS IoT job settings that fleetwave accepts and passes on:
 * job-template and job fields with AWS IoT's own names and AWS IoT's own
 * validation limits. The same schemas serve two callers:
 * - the REST API validates a request before it reaches IoT (strict: unknown
 *   fields are errors, so a typo never silently drops a setting);
 * - the local IoT endpoint validates what the SDK sends, as AWS does (lenient:
 *   members a newer SDK sends are ignored, as a REST-JSON service ignores them).
 */
import * as z from 'zod';
import { parseAwsCron } from './aws-cron.js';
import { parseScheduleTime } from './schedule-time.js';

export type Strictness = 'strict' | 'lenient';

/** `jobTemplateId` and `jobId`: 1–64 characters of `[a-zA-Z0-9_-]`. */
export const resourceIdSchema = z
  .string()
  .min(1, 'must be at least 1 character')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-zA-Z0-9_-]+$/, 'must match [a-zA-Z0-9_-]+');

/** AWS's `[^\p{C}]+`: no control or other non-printing characters. */
const noControlCharacters = /^[^\p{C}]*$/u;

export const descriptionSchema = z
  .string()
  .max(2028, 'must be at most 2028 characters')
  .regex(noControlCharacters, 'must not contain control characters');

const documentSchema = z.string().max(32768, 'must be at most 32768 characters');
const documentSourceSchema = z
  .string()
  .min(1, 'must be at least 1 character')
  .max(1350, 'must be at most 1350 characters');

/** True when `value` has at most `digits` digits after the decimal point. */
export function hasAtMostDecimals(value: number, digits: number): boolean {
  // Exact, not within a tolerance: 1e-320 is not 0.00, though it is within any epsilon of it.
  return Number(value.toFixed(digits)) === value;
}

const int = (min: number, max?: number) => {
  const base = z.number().int('must be an integer').min(min, `must be at least ${min}`);
  return max === undefined ? base : base.max(max, `must be at most ${max}`);
};

const executionFailureTypes = ['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'] as const;
const retryFailureTypes = ['FAILED', 'TIMED_OUT', 'ALL'] as const;
export const targetSelections = ['CONTINUOUS', 'SNAPSHOT'] as const;
/** The most maintenance windows a job, job template, release or wave may have (fleetwave's own limit). */
const MAX_MAINTENANCE_WINDOWS = 100;

/** What a scheduled job does at its `endTime`. */
export const jobEndBehaviors = ['STOP_ROLLOUT', 'CANCEL', 'FORCE_CANCEL'] as const;

/** Builds every settings schema for one strictness. */
export function jobSettingsSchemas(strictness: Strictness) {
  const object = strictness === 'strict' ? z.strictObject : z.object;

  const presignedUrlConfig = object({
    roleArn: z.string().min(20, 'must be at least 20 characters').max(2048).optional(),
    expiresInSec: int(60, 3600).optional(),
  });

  const rateIncreaseCriteria = object({
    numberOfNotifiedThings: int(1).optional(),
    numberOfSucceededThings: int(1).optional(),
  }).refine((c) => (c.numberOfNotifiedThings === undefined) !== (c.numberOfSucceededThings === undefined), {
    message: 'must set exactly one of numberOfNotifiedThings and numberOfSucceededThings',
  });

  const jobExecutionsRolloutConfig = object({
    maximumPerMinute: int(1, 1000).optional(),
    exponentialRate: object({
      baseRatePerMinute: int(1, 1000),
      incrementFactor: z
        .number()
        .min(1.1, 'must be at least 1.1')
        .max(5, 'must be at most 5')
        .refine((n) => hasAtMostDecimals(n, 1), 'must have at most one digit after the decimal point'),
      rateIncreaseCriteria,
    }).optional(),
  });

  const abortCriteria = object({
    failureType: z.enum(executionFailureTypes),
    action: z.literal('CANCEL'),
    thresholdPercentage: z
      .number()
      .min(0, 'must be at least 0')
      .max(100, 'must be at most 100')
      .refine((n) => hasAtMostDecimals(n, 2), 'must have at most two digits after the decimal point'),
    minNumberOfExecutedThings: int(1),
  });

  const abortConfig = object({
    criteriaList: z.array(abortCriteria).min(1, 'must hold at least 1 criterion'),
  });

  const timeoutConfig = object({
    inProgressTimeoutInMinutes: int(1, 10080).optional(),
  });

  const retryCriteria = object({
    failureType: z.enum(retryFailureTypes),
    numberOfRetries: int(0, 10),
  });

  const jobExecutionsRetryConfig = object({
    criteriaList: z
      .array(retryCriteria)
      .min(1, 'must hold at least 1 criterion')
      .max(2, 'must hold at most 2 criteria'),
  });

  const maintenanceWindow = object({
    startTime: z
      .string()
      .min(1, 'must be at least 1 character')
      .superRefine((expression, ctx) => {
        const parsed = parseAwsCron(expression);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      }),
    durationInMinutes: int(1, 1430),
  });
  /**
   * AWS publishes no cap on the number of windows; fleetwave and the local IoT
   * take at most {@link MAX_MAINTENANCE_WINDOWS}. Every window is a cron
   * expression asked about on each look and rollout tick; zod checks an
   * array's length before it reads its items, so too many are refused before
   * any expression is parsed (test/unit/domain/maintenance-window-count.test.ts).
   */
  const maintenanceWindows = z
    .array(maintenanceWindow)
    .max(MAX_MAINTENANCE_WINDOWS, `must hold at most ${MAX_MAINTENANCE_WINDOWS} windows`);

  /** `YYYY-MM-DDTHH:MM` (UTC); how far ahead it may be depends on now, checked apart (`scheduleTimeProblems`). */
  const scheduleTime = z
    .string()
    .min(1, 'must be at least 1 character')
    .max(64, 'must be at most 64 characters')
    .refine(
      (t) => parseScheduleTime(t) !== undefined,
      'must be a date and time of the form YYYY-MM-DDTHH:MM',
    );

  const schedulingConfig = object({
    startTime: scheduleTime.optional(),
    endTime: scheduleTime.optional(),
    endBehavior: z.enum(jobEndBehaviors).optional(),
    maintenanceWindows: maintenanceWindows.optional(),
  });

  const tag = object({
    Key: z.string().min(1, 'must be at least 1 character').max(128, 'must be at most 128 characters'),
    Value: z.string().max(256, 'must be at most 256 characters'),
  });
  /** AWS allows at most 50 tags on a resource. */
  const tags = z.array(tag).max(50, 'must hold at most 50 tags');

  /** The settings a template and a job share. */
  const sharedSettings = {
    description: descriptionSchema.optional(),
    document: documentSchema.optional(),
    documentSource: documentSourceSchema.optional(),
    presignedUrlConfig: presignedUrlConfig.optional(),
    jobExecutionsRolloutConfig: jobExecutionsRolloutConfig.optional(),
    abortConfig: abortConfig.optional(),
    timeoutConfig: timeoutConfig.optional(),
    jobExecutionsRetryConfig: jobExecutionsRetryConfig.optional(),
    tags: tags.optional(),
  };

  /** The body of CreateJobTemplate (without the id, which is in the path). */
  const createJobTemplateBody = object({
    ...sharedSettings,
    description: descriptionSchema,
    jobArn: z.string().min(1).optional(),
    maintenanceWindows: maintenanceWindows.optional(),
  }).superRefine((t, ctx) => {
    const sources = [t.document, t.documentSource, t.jobArn].filter((s) => s !== undefined).length;
    if (sources !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['document'],
        message: 'exactly one of document, documentSource or jobArn is required',
      });
    }
  });

  /** The body of CreateJob (without the id, which is in the path). */
  const createJobBody = object({
    ...sharedSettings,
    targets: z
      .array(z.string().min(1).max(2048))
      .min(1, 'must hold at least 1 target')
      .max(100, 'must hold at most 100 targets'),
    targetSelection: z.enum(targetSelections).optional(),
    jobTemplateArn: z.string().min(1).max(1600).optional(),
    namespaceId: z.string().min(1).max(64).optional(),
    documentParameters: z.record(z.string(), z.string()).optional(),
    schedulingConfig: schedulingConfig.optional(),
  }).superRefine((j, ctx) => {
    const sources = [j.document, j.documentSource, j.jobTemplateArn].filter((s) => s !== undefined).length;
    if (sources === 0 || (j.document !== undefined && j.documentSource !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['document'],
        message: 'exactly one of document or documentSource is required, unless jobTemplateArn is given',
      });
    }
  });

  return {
    presignedUrlConfig,
    jobExecutionsRolloutConfig,
    abortConfig,
    timeoutConfig,
    jobExecutionsRetryConfig,
    maintenanceWindows,
    schedulingConfig,
    tags,
    createJobTemplateBody,
    createJobBody,
  };
}

// The types only: building a set of schemas here would cost every function that imports this
// module a millisecond or two at each cold start (docs/PERFORMANCE.md, "Lambda packages").
type SettingsSchemas = ReturnType<typeof jobSettingsSchemas>;
export type PresignedUrlConfig = z.infer<SettingsSchemas['presignedUrlConfig']>;
export type JobExecutionsRolloutConfig = z.infer<SettingsSchemas['jobExecutionsRolloutConfig']>;
export type AbortConfig = z.infer<SettingsSchemas['abortConfig']>;
export type TimeoutConfig = z.infer<SettingsSchemas['timeoutConfig']>;
export type JobExecutionsRetryConfig = z.infer<SettingsSchemas['jobExecutionsRetryConfig']>;
export type SchedulingConfig = z.infer<SettingsSchemas['schedulingConfig']>;
export type MaintenanceWindows = z.infer<SettingsSchemas['maintenanceWindows']>;
export type JobEndBehavior = (typeof jobEndBehaviors)[number];
export type Tag = z.infer<SettingsSchemas['tags']>[number];
export type CreateJobTemplateBody = z.infer<SettingsSchemas['createJobTemplateBody']>;
export type CreateJobBody = z.infer<SettingsSchemas['createJobBody']>;
