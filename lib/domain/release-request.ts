/**
 * What a caller asks for when it starts a release: the job template, the
 * fleet, and the waves with their policies. Strict schemas (an unknown field
 * is an error, so a typo never silently drops a policy) with AWS IoT's own
 * limits where a value is passed on to IoT.
 *
 * Targets are thing and thing-group NAMES, not ARNs: callers should not need
 * the account id and region, and the workflow builds the ARNs CreateJob wants.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from './errors.js';
import {
  descriptionSchema,
  hasAtMostDecimals,
  jobSettingsSchemas,
  resourceIdSchema,
} from './iot-job-settings.js';
import { webhookUrlSchema } from './webhook-url.js';

/**
 * A release id is also the Step Functions execution name and the stem of its
 * IoT job ids (at most 64 characters): `<releaseId>-w<nn>` and a halted
 * wave's follow-ups `<releaseId>-w<nn>-r<k>` (k ≤ 99). 56 characters leave
 * room for `-w<nn>` and `-r<k>`.
 */
export const RELEASE_ID_MAX_LENGTH = 56;
export const MAX_WAVES = 50;
/** CreateJob accepts at most 100 targets: a wave naming its own targets is one job. */
const MAX_WAVE_TARGETS = 100;
const MAX_RELEASE_THING_GROUPS = 100;
/** Larger fleets are named by thing group; this keeps the release item far below DynamoDB's 400 KB. */
const MAX_RELEASE_THINGS = 1000;
const MAX_TAGS = 50;

/**
 * The longest id of a release that may exist: new releases take at most
 * {@link RELEASE_ID_MAX_LENGTH}, but releases created before that limit was
 * lowered from 59 are still read, listed and acted on (all but a halt,
 * whose follow-up job id would not fit).
 */
export const STORED_RELEASE_ID_MAX_LENGTH = 59;

function idSchema(max: number) {
  return z
    .string()
    .min(1, 'must be at least 1 character')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[a-zA-Z0-9_-]+$/, 'must match [a-zA-Z0-9_-]+');
}

/** The id of a new release. */
export const releaseIdSchema = idSchema(RELEASE_ID_MAX_LENGTH);
/** The id of a release that may exist (a path, a stored item). */
export const storedReleaseIdSchema = idSchema(STORED_RELEASE_ID_MAX_LENGTH);

/** Thing and thing-group names: 1–128 characters of `[a-zA-Z0-9:_-]`, as AWS IoT allows. */
export const thingNameSchema = z
  .string()
  .min(1, 'must be at least 1 character')
  .max(128, 'must be at most 128 characters')
  .regex(/^[a-zA-Z0-9:_-]+$/, 'must match [a-zA-Z0-9:_-]+');

/** A percentage with at most two decimals (IoT's `thresholdPercentage` precision). */
const percentSchema = (min: number) =>
  z
    .number()
    .min(min, `must be at least ${min}`)
    .max(100, 'must be at most 100')
    .refine((n) => hasAtMostDecimals(n, 2), 'must have at most two digits after the decimal point');

const int = (min: number, max: number) =>
  z.number().int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

function namesSchema(max: number, what: string) {
  return z
    .array(thingNameSchema)
    .max(max, `must hold at most ${max} ${what}`)
    .superRefine((names, ctx) => {
      const seen = new Set<string>();
      names.forEach((name, i) => {
        if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${name}` });
        seen.add(name);
      });
    });
}

/** Thing groups and things, by name. */
function targetsSchema(maxGroups: number, maxThings: number) {
  return z.strictObject({
    thingGroups: namesSchema(maxGroups, 'thing groups').optional(),
    things: namesSchema(maxThings, 'things').optional(),
  });
}

const strictSettings = jobSettingsSchemas('strict');

/**
 * Who may approve the gate after a wave. `distinctFromCreator`: a second
 * person must approve; the release's creator (the same actor) is refused
 * with 403. It shapes the gate `requireApproval` opens and opens none by
 * itself: a wave that sets it must also set `requireApproval: true`, so a
 * release reads as it runs.
 */
const approvalPolicySchema = z.strictObject({
  distinctFromCreator: z.boolean().default(false),
});

/** `approval` without `requireApproval: true` asks for a gate that never opens: refused, naming the field. */
function checkApprovalPolicy(
  wave: { approval?: { distinctFromCreator: boolean } | undefined; requireApproval: boolean },
  ctx: z.RefinementCtx,
): void {
  if (wave.approval?.distinctFromCreator && !wave.requireApproval) {
    ctx.addIssue({
      code: 'custom',
      path: ['approval', 'distinctFromCreator'],
      message: 'needs requireApproval: true (it says who may approve the gate requireApproval opens)',
    });
  }
}

/** One wave: its targets (own targets, or a cumulative percentage of the release fleet) and its policy. */
export const waveDefinitionSchema = z
  .strictObject({
    /** The wave's own targets: one IoT job with these targets (at most 100 in all). */
    targets: targetsSchema(MAX_WAVE_TARGETS, MAX_WAVE_TARGETS).optional(),
    /** Cumulative share of the release fleet this wave brings up to, e.g. 1 → 10 → 50 → 100. */
    percentage: percentSchema(0.01).optional(),
    /**
     * The wave succeeds when at least this share of its things SUCCEEDED. The
     * default, 90, is 100 minus the default failure threshold: a wave that ends
     * short of the failure threshold passes, so a fleet where 1–2 % of devices
     * fail routinely passes too (docs/data-model.md, "Wave defaults").
     */
    successThresholdPercent: percentSchema(0).default(90),
    /** The release stops once FAILED+REJECTED+TIMED_OUT reach this share (0: at the first failure). */
    failureThresholdPercent: percentSchema(0).default(10),
    /**
     * Failures alone do not stop a wave before this many of its things finished
     * (IoT's `minNumberOfExecutedThings`; a smaller wave waits for all of its
     * things). IoT's abort judges failures among the things executed so far:
     * the default of 100 is a sample in which a fleet failing 2 % of the time
     * reaches 10 % about once in 25,000 waves, where 10 executed things reach
     * it (one failure) once in five.
     */
    minExecutedThings: int(1, 1_000_000).default(100),
    /** The wave is TIMED_OUT when it has not finished this long after it started. */
    timeoutMinutes: int(1, 43_200).default(1440),
    /** How long to watch a finished wave before the next one starts. */
    bakeTimeMinutes: int(0, 10_080).default(0),
    /**
     * After this wave succeeded and baked, a person must approve before the
     * release goes on to the next wave (or, after the last wave, before it is
     * declared SUCCEEDED).
     */
    requireApproval: z.boolean().default(false),
    /** Who may answer the gate `requireApproval` opens (see {@link approvalPolicySchema}). */
    approval: approvalPolicySchema.optional(),
    jobExecutionsRolloutConfig: strictSettings.jobExecutionsRolloutConfig.optional(),
    abortConfig: strictSettings.abortConfig.optional(),
    timeoutConfig: strictSettings.timeoutConfig.optional(),
    jobExecutionsRetryConfig: strictSettings.jobExecutionsRetryConfig.optional(),
    /**
     * The wave's own maintenance windows, instead of the release's (`[]`: none for this
     * wave, so its devices are notified at any time).
     */
    maintenanceWindows: strictSettings.maintenanceWindows.optional(),
  })
  .superRefine(checkApprovalPolicy);

/** The members of a release request; the stored release record extends them. */
export const releaseRequestFields = {
  releaseId: releaseIdSchema,
  jobTemplateId: resourceIdSchema,
  /** The fleet that percentage waves divide; optional when every wave names its own targets. */
  targets: targetsSchema(MAX_RELEASE_THING_GROUPS, MAX_RELEASE_THINGS).optional(),
  waves: z
    .array(waveDefinitionSchema)
    .min(1, 'must hold at least 1 wave')
    .max(MAX_WAVES, `must hold at most ${MAX_WAVES} waves`),
  description: descriptionSchema.optional(),
  tags: strictSettings.tags.max(MAX_TAGS, `must hold at most ${MAX_TAGS} tags`).optional(),
  /**
   * When the release may run, with AWS IoT's names and formats: it waits for
   * `startTime` (SCHEDULED, no job yet), ends at `endTime` by `endBehavior`
   * (STOP_ROLLOUT when left out), and its waves' devices are notified only
   * inside `maintenanceWindows` (docs/workflow.md, "Scheduled releases").
   * How far ahead the times may be is checked against the request's time
   * ({@link checkScheduleTimes}).
   */
  schedulingConfig: strictSettings.schedulingConfig.optional(),
  /** Where else the release's events go: `webhookUrl` receives each one, signed (docs/events.md). */
  notify: z.strictObject({ webhookUrl: webhookUrlSchema }).optional(),
  /**
   * What fleetwave does by itself when a wave fails (a threshold crossed, or
   * a timeout). `rollback`: start a release with `jobTemplateId` (the
   * template that puts the previous version back) over exactly the things
   * that took the new version, in `waves` (percentages of those things; one
   * wave when absent). A cancel never rolls back.
   */
  onFailure: z
    .strictObject({
      rollback: z.strictObject({
        jobTemplateId: resourceIdSchema,
        waves: z
          .array(waveDefinitionSchema)
          .min(1, 'must hold at least 1 wave')
          .max(MAX_WAVES, `must hold at most ${MAX_WAVES} waves`)
          .optional(),
      }),
    })
    .optional(),
};

/**
 * Exactly one of targets and percentage per wave, at most 100 targets per
 * wave, percentages rising and ending at 100. Returns the last percentage
 * wave, if any. `at` is where the waves are in the request.
 */
function checkWaves(
  waves: readonly unknown[],
  at: readonly (string | number)[],
  ctx: z.RefinementCtx,
): { index: number; percentage: number } | undefined {
  let previous: { index: number; percentage: number } | undefined;
  waves.forEach((wave, index) => {
    if (typeof wave !== 'object' || wave === null) return;
    const { targets, percentage } = wave as { targets?: unknown; percentage?: unknown };
    if ((targets === undefined) === (percentage === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, index],
        message: 'must set exactly one of targets and percentage',
      });
    }
    if (targets !== undefined) {
      const count = countTargets(targets);
      if (count === 0) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, index, 'targets'],
          message: 'must name at least 1 target',
        });
      } else if (count > MAX_WAVE_TARGETS) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, index, 'targets'],
          message: `must name at most ${MAX_WAVE_TARGETS} targets in all (one IoT job)`,
        });
      }
    }
    if (typeof percentage !== 'number') return;
    if (previous && percentage <= previous.percentage) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, index, 'percentage'],
        message: `must be greater than wave ${previous.index + 1}'s ${previous.percentage} (percentages are cumulative)`,
      });
    }
    previous = { index, percentage };
  });
  if (previous && previous.percentage !== 100) {
    ctx.addIssue({
      code: 'custom',
      path: [...at, previous.index, 'percentage'],
      message: 'the last percentage wave must be 100, or part of the fleet is never updated',
    });
  }
  return previous;
}

/** A rollback's waves take percentages of the things to roll back: no wave names its own targets. */
function checkRollbackWaves(onFailure: unknown, ctx: z.RefinementCtx): void {
  const rollback =
    typeof onFailure === 'object' && onFailure !== null
      ? (onFailure as { rollback?: unknown }).rollback
      : undefined;
  const waves =
    typeof rollback === 'object' && rollback !== null ? (rollback as { waves?: unknown }).waves : undefined;
  if (!Array.isArray(waves)) return;
  const at = ['onFailure', 'rollback', 'waves'];
  checkWavesTakePercentages(waves, at, 'rollback', ctx);
  checkWaves(waves, at, ctx);
}

/**
 * The waves of a retry or rollback take percentages of its things: a wave
 * naming its own `targets` is refused (at `<at>.<n>.targets`). The API's
 * bodies and `onFailure.rollback` share this rule.
 */
export function checkWavesTakePercentages(
  waves: unknown,
  at: readonly (string | number)[],
  kind: 'retry' | 'rollback',
  ctx: z.RefinementCtx,
): void {
  if (!Array.isArray(waves)) return;
  waves.forEach((wave, index) => {
    if (typeof wave === 'object' && wave !== null && (wave as { targets?: unknown }).targets !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, index, 'targets'],
        message: `must be left out: a ${kind}'s waves take percentages of its things`,
      });
    }
  });
}

/**
 * The rules of a release request that span fields (exactly one of targets
 * and percentage per wave, rising percentages ending at 100, a fleet for
 * percentage waves, unique tag keys), for `superRefine`: schemas that extend
 * the request (e.g. an API body whose `releaseId` is optional) apply the same rules.
 */
export function checkReleaseRules(
  release: { waves?: unknown; targets?: unknown; tags?: unknown; onFailure?: unknown },
  ctx: z.RefinementCtx,
): void {
  // Runs even when some nested field failed, so every problem is reported at
  // once: the values below may therefore have any type, and are checked.
  const waves: unknown[] = Array.isArray(release.waves) ? release.waves : [];
  const last = checkWaves(waves, ['waves'], ctx);
  if (last && countTargets(release.targets) === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['targets'],
      message: 'must name at least 1 thing group or thing when a wave takes a percentage of the fleet',
    });
  }
  checkRollbackWaves(release.onFailure, ctx);
  const keys = new Set<string>();
  (Array.isArray(release.tags) ? release.tags : []).forEach((tag, index) => {
    const key = typeof tag === 'object' && tag !== null ? (tag as { Key?: unknown }).Key : undefined;
    if (typeof key !== 'string') return;
    if (keys.has(key))
      ctx.addIssue({ code: 'custom', path: ['tags', index, 'Key'], message: `repeats ${key}` });
    keys.add(key);
  });
}

const releaseRequestSchema = z.strictObject(releaseRequestFields).superRefine(checkReleaseRules);

function countTargets(targets: unknown): number {
  if (typeof targets !== 'object' || targets === null) return 0;
  const { thingGroups, things } = targets as { thingGroups?: unknown; things?: unknown };
  return (Array.isArray(thingGroups) ? thingGroups.length : 0) + (Array.isArray(things) ? things.length : 0);
}

/** A release request as a caller writes it (defaults may be left out). */
export type ReleaseRequestInput = z.input<typeof releaseRequestSchema>;
/** A validated release request with every default filled in. */
export type ReleaseRequest = z.output<typeof releaseRequestSchema>;
export type WaveDefinition = z.output<typeof waveDefinitionSchema>;

/**
 * Validates a release request.
 * @throws ValidationError naming every bad field (`details[].path` is dotted, e.g. `waves.2.percentage`).
 */
export function parseReleaseRequest(input: unknown): ReleaseRequest {
  const result = releaseRequestSchema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod('The release request is invalid.', result.error);
  return result.data;
}

/**
 * A stable digest of a validated request: two requests that differ only in
 * key order or in spelling out a default have the same hash. Creating a
 * release again with the same id and hash is an idempotent retry.
 */
export function releaseRequestHash(request: ReleaseRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** JSON with object keys sorted and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
