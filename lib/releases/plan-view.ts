/**
 * The answer of `POST /releases?dryRun=true` as a zod schema: what
 * docs/openapi.yaml documents (its `ReleasePlan` schema is generated from
 * this one) and what the end-to-end tests check the answers against. The
 * plan itself is built by `lib/domain/release-plan.ts`; the handler does not
 * load this module.
 */
import * as z from 'zod';
import { jobSettingsSchemas } from '../domain/iot-job-settings.js';
import { planWarningCodes } from '../domain/release-plan-warnings.js';

const settings = jobSettingsSchemas('lenient');

const rangeSchema = z.object({ min: z.number(), max: z.number() });
const isoTime = z.string();

/** A wave's CreateJob request with its job template's settings merged in. */
const plannedCreateJobSchema = z.object({
  jobId: z.string(),
  jobTemplateArn: z.string(),
  targets: z.array(z.string()),
  targetSelection: z.literal('SNAPSHOT'),
  description: z.string(),
  document: z.string().optional(),
  documentSource: z.string().optional(),
  presignedUrlConfig: settings.presignedUrlConfig.optional(),
  jobExecutionsRolloutConfig: settings.jobExecutionsRolloutConfig.optional(),
  abortConfig: settings.abortConfig,
  timeoutConfig: settings.timeoutConfig.optional(),
  jobExecutionsRetryConfig: settings.jobExecutionsRetryConfig.optional(),
  /** The wave's windows (else the template's, as IoT inherits them) and the release's end, as StartWave sends them. */
  schedulingConfig: settings.schedulingConfig.optional(),
  destinationPackageVersions: z.array(z.string()).optional(),
});

const plannedWaveSchema = z.object({
  waveNumber: z.number().int().min(1),
  percentage: z.number().optional(),
  /** Exactly the things the wave's job reaches: its cohort, or the things and group members it names. */
  thingCount: z.number().int().min(0),
  createJob: plannedCreateJobSchema,
  /** Earliest first notification. */
  startsAt: isoTime,
  /** Latest time its last device finishes, before its bake. */
  endsAt: isoTime,
  durationMinutes: rangeSchema,
  bakeTimeMinutes: z.number().int().min(0),
  requireApproval: z.boolean(),
});

export const releasePlanSchema = z.object({
  releaseId: z.string(),
  jobTemplateId: z.string(),
  plannedAt: isoTime,
  waves: z.array(plannedWaveSchema),
  estimate: z.object({
    /** From `plannedAt` to the release's end, whole minutes; approval gates not counted. */
    durationMinutes: rangeSchema,
    gates: z.number().int().min(0),
    /** Per IoT API (CreateJob, DescribeJob, ListThingsInThingGroup, ...). */
    iotCalls: z.record(z.string(), rangeSchema),
    stepFunctions: z.object({ transitions: rangeSchema, costUsd: rangeSchema }),
  }),
  warnings: z.array(
    z.object({
      code: z.enum(planWarningCodes),
      message: z.string(),
      wave: z.number().int().min(1).optional(),
    }),
  ),
});
