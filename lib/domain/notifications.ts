/**
 * The events fleetwave publishes about a release, on EventBridge (source
 * `fleetwave`), to SNS and to a release's own webhook. Users write
 * EventBridge rules against these shapes, so they are a public contract:
 * fields are only ever added (as optional), never renamed or retyped; a
 * breaking change would bump `schemaVersion`. `docs/events.md` documents
 * each detail type with an example.
 *
 * Every detail carries `notificationId`, derived from what the event is
 * about (release, type, wave). The workflow may publish an event again when
 * a step is retried; consumers drop duplicates by that id.
 */
import * as z from 'zod';
import { ValidationError } from './errors.js';
import { jobProcessCountsSchema } from './release.js';
import { releaseStatusSchema } from './statuses.js';
import { webhookUrlSchema } from './webhook-url.js';

/** The EventBridge `Source` of every fleetwave event. */
export const NOTIFICATION_SOURCE = 'fleetwave';
/** The version of the detail shapes below. */
export const NOTIFICATION_SCHEMA_VERSION = 1;

/** Every `DetailType` fleetwave publishes. */
export const notificationDetailTypes = [
  'Release Started',
  'Wave Started',
  'Wave Succeeded',
  'Wave Failed',
  'Release Awaiting Approval',
  'Release Paused',
  'Release Resumed',
  'Release Succeeded',
  'Release Failed',
  'Release Canceled',
  'Rollback Started',
] as const;
export type NotificationDetailType = (typeof notificationDetailTypes)[number];

const isoTime = z.iso.datetime({ offset: true });
const positiveInt = z.number().int().min(1);
const percent = z.number().min(0).max(100);
const url = webhookUrlSchema;

/** Links a person can follow from a notification; all optional. */
const linksSchema = z.strictObject({
  /** The release in the fleetwave API (`GET /releases/{releaseId}`). */
  release: url.optional(),
  /** Where an approver approves or rejects (Release Awaiting Approval only). */
  approval: url.optional(),
});

/** Fields every detail carries. */
const common = {
  schemaVersion: z.literal(NOTIFICATION_SCHEMA_VERSION),
  notificationId: z.string().min(1),
  releaseId: z.string().min(1),
  jobTemplateId: z.string().min(1),
  /** The release's status once this event happened. */
  releaseStatus: releaseStatusSchema,
  /** When it happened (ISO-8601); also the EventBridge event's `time`. */
  occurredAt: isoTime,
  /** Total number of waves in the release. */
  waveCount: positiveInt,
  links: linksSchema.optional(),
};

/** A wave's figures as DescribeJob reported them, and the shares derived from them. */
const waveProgressDetailSchema = z.strictObject({
  counts: jobProcessCountsSchema,
  /** The denominator of the shares: things expected, or executions counted if more. */
  totalThings: z.number().int().min(0),
  succeededThings: z.number().int().min(0),
  /** FAILED + REJECTED + TIMED_OUT. */
  failedThings: z.number().int().min(0),
  succeededPercent: percent,
  failedPercent: percent,
});
export type WaveProgressDetail = z.infer<typeof waveProgressDetailSchema>;

const wave = {
  /** 1-based. */
  waveNumber: positiveInt,
  /** The IoT job of the wave (`<releaseId>-w<nn>`). */
  jobId: z.string().min(1),
  jobArn: z.string().min(1).optional(),
  /** The cohort's static thing group, for a percentage wave. */
  thingGroupName: z.string().min(1).optional(),
  expectedThings: z.number().int().min(0).optional(),
};

/** Why a wave did not succeed (the workflow's `WaveFailureCause`). */
export const waveFailureCauses = [
  'FAILURE_THRESHOLD',
  'JOB_CANCELED',
  'BELOW_SUCCESS_THRESHOLD',
  'TIMEOUT',
] as const;

/** The `detail` schema of each detail type. */
const notificationDetailSchemas = {
  'Release Started': z.strictObject({
    ...common,
    startedAt: isoTime,
    description: z.string().optional(),
  }),
  'Wave Started': z.strictObject({
    ...common,
    ...wave,
    startedAt: isoTime,
    successThresholdPercent: percent,
    failureThresholdPercent: percent,
    timeoutMinutes: positiveInt,
  }),
  'Wave Succeeded': z.strictObject({
    ...common,
    ...wave,
    progress: waveProgressDetailSchema,
    startedAt: isoTime,
    finishedAt: isoTime,
    /** The next wave, or null when this was the last one. */
    nextWaveNumber: positiveInt.nullable(),
  }),
  'Wave Failed': z.strictObject({
    ...common,
    ...wave,
    waveStatus: z.enum(['FAILED', 'TIMED_OUT', 'CANCELED']),
    cause: z.enum(waveFailureCauses),
    /** One sentence for people, e.g. "3 of 20 things failed ... reaching the failure threshold of 10%." */
    reason: z.string().min(1),
    progress: waveProgressDetailSchema.optional(),
    startedAt: isoTime.optional(),
    finishedAt: isoTime,
    failureThresholdPercent: percent,
  }),
  'Release Awaiting Approval': z.strictObject({
    ...common,
    /** The wave that succeeded and now waits for a person. */
    waveNumber: positiveInt,
    /** The wave that starts once approved, or null when approval completes the release. */
    nextWaveNumber: positiveInt.nullable(),
    requestedAt: isoTime,
  }),
  'Release Paused': z.strictObject({
    ...common,
    /** When the workflow held the release (it is PAUSED from then). */
    pausedAt: isoTime,
    /** When the pause was asked for. */
    requestedAt: isoTime,
    /** Who asked for it, when known. */
    pausedBy: z.string().min(1).optional(),
    comment: z.string().min(1).optional(),
    /** Where it is held, for people: `before wave 3`, `in the bake of wave 2`, `before the release ends`. */
    heldAt: z.string().min(1),
    /** The last wave that started, if any. */
    lastWaveNumber: positiveInt.optional(),
  }),
  'Release Resumed': z.strictObject({
    ...common,
    resumedAt: isoTime,
    /** Who resumed it, when known. */
    resumedBy: z.string().min(1).optional(),
    comment: z.string().min(1).optional(),
  }),
  'Release Succeeded': z.strictObject({
    ...common,
    startedAt: isoTime.optional(),
    finishedAt: isoTime,
  }),
  'Release Failed': z.strictObject({
    ...common,
    reason: z.string().min(1),
    /** The wave that failed, when a wave did (absent when the release failed before or between waves). */
    failedWaveNumber: positiveInt.optional(),
    /** The error that stopped the workflow, when one did (its `name` is a fleetwave error name). */
    error: z.strictObject({ name: z.string().min(1), message: z.string() }).optional(),
    startedAt: isoTime.optional(),
    finishedAt: isoTime,
  }),
  'Release Canceled': z.strictObject({
    ...common,
    reason: z.string().min(1).optional(),
    /** Who canceled, when known (an IAM principal or an approver's name). */
    canceledBy: z.string().min(1).optional(),
    /** The wave that was running or waiting when the release was canceled. */
    lastWaveNumber: positiveInt.optional(),
    finishedAt: isoTime,
  }),
  'Rollback Started': z.strictObject({
    ...common,
    /** The release that puts the previous version back on the things that took this one. */
    rollbackReleaseId: z.string().min(1),
    /** The job template the rollback rolls out (`onFailure.rollback.jobTemplateId`). */
    rollbackJobTemplateId: z.string().min(1),
    /** Why this release failed. */
    reason: z.string().min(1),
    /** The wave that failed. */
    failedWaveNumber: positiveInt.optional(),
    /** Things the failed release's counters say took the new version, or were still running when it failed (the rollback gathers those that took it, exactly). */
    countedThings: z.number().int().min(1),
    startedAt: isoTime,
  }),
} as const satisfies Record<NotificationDetailType, z.ZodType>;

/** The `detail` of a detail type. */
type NotificationDetail<T extends NotificationDetailType = NotificationDetailType> = z.infer<
  (typeof notificationDetailSchemas)[T]
>;

/** What a builder takes: the detail without the fields it derives. */
export type NotificationInput<T extends NotificationDetailType> = Omit<
  NotificationDetail<T>,
  'schemaVersion' | 'notificationId'
>;

/** One event, ready for EventBridge (`Source`, `DetailType`, `Detail`, `Time`, `Resources`), SNS or a webhook. */
export interface NotificationEvent<T extends NotificationDetailType = NotificationDetailType> {
  readonly source: typeof NOTIFICATION_SOURCE;
  readonly detailType: T;
  readonly detail: NotificationDetail<T>;
  /** `detail.occurredAt`. */
  readonly time: string;
  /** ARNs the event concerns (the wave's IoT job, when known). */
  readonly resources: readonly string[];
}

/** Any fleetwave event, discriminated by `detailType`. */
export type AnyNotificationEvent = {
  [T in NotificationDetailType]: NotificationEvent<T>;
}[NotificationDetailType];

const slug = (type: NotificationDetailType): string => type.toLowerCase().replaceAll(' ', '-');

/**
 * The id consumers deduplicate by: `<releaseId>/<type-slug>[/w<nn>][/<epoch ms>]`;
 * the time only for events that can happen more than once to a release
 * (a pause, a resume), so each occurrence keeps its own id.
 */
export function notificationIdOf(
  type: NotificationDetailType,
  releaseId: string,
  waveNumber?: number,
  occurredAt?: string,
): string {
  const wavePart = waveNumber === undefined ? '' : `/w${String(waveNumber).padStart(2, '0')}`;
  const timePart = occurredAt === undefined ? '' : `/${Date.parse(occurredAt)}`;
  return `${releaseId}/${slug(type)}${wavePart}${timePart}`;
}

/** Events that can happen more than once to a release, and the field that says when (kept on the record, so a retry repeats it). */
const repeatable: Partial<Record<NotificationDetailType, string>> = {
  'Release Paused': 'pausedAt',
  'Release Resumed': 'resumedAt',
};

/** When a repeatable event happened, for its id. */
function occurrenceOf(type: NotificationDetailType, input: object): string | undefined {
  const field = repeatable[type];
  const value = field === undefined ? undefined : (input as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** The wave an event is about, for its id (the waiting wave for an approval). */
function waveOf(input: object): number | undefined {
  const value = (input as { waveNumber?: unknown }).waveNumber;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Builds and validates an event. Throws {@link ValidationError} naming every
 * bad field: a malformed event is a bug in the caller, caught before
 * anything is published.
 */
export function buildNotification<T extends NotificationDetailType>(
  detailType: T,
  input: NotificationInput<T>,
): NotificationEvent<T> {
  const candidate = {
    ...input,
    schemaVersion: NOTIFICATION_SCHEMA_VERSION,
    notificationId: notificationIdOf(
      detailType,
      input.releaseId,
      waveOf(input),
      occurrenceOf(detailType, input),
    ),
  };
  const parsed = notificationDetailSchemas[detailType].safeParse(candidate);
  if (!parsed.success) {
    throw ValidationError.fromZod(`Invalid ${detailType} notification`, parsed.error);
  }
  const detail = parsed.data as NotificationDetail<T>;
  const jobArn = (detail as { jobArn?: string }).jobArn;
  return {
    source: NOTIFICATION_SOURCE,
    detailType,
    detail,
    time: detail.occurredAt,
    resources: jobArn ? [jobArn] : [],
  };
}

/**
 * Reads an event back from its parts (a webhook receiver, a rule target):
 * undefined unless `source` is fleetwave, the detail type is known and the
 * detail matches its schema.
 */
export function parseNotification(
  source: unknown,
  detailType: unknown,
  detail: unknown,
  resources: readonly string[] = [],
): AnyNotificationEvent | undefined {
  if (source !== NOTIFICATION_SOURCE) return undefined;
  if (!notificationDetailTypes.includes(detailType as NotificationDetailType)) return undefined;
  const type = detailType as NotificationDetailType;
  const parsed = notificationDetailSchemas[type].safeParse(detail);
  if (!parsed.success) return undefined;
  return {
    source,
    detailType: type,
    detail: parsed.data,
    time: parsed.data.occurredAt,
    resources,
  } as AnyNotificationEvent;
}

/** A URL a release may ask to be notified at (`notify.webhookUrl`). */
export { webhookUrlSchema } from './webhook-url.js';
