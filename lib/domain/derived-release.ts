/**
 * The release a retry or a rollback makes from an ended one. Pure: the API
 * (`POST /releases/{id}/retry|rollback`) and the workflow (a release's
 * `onFailure.rollback`) build the same request from the same inputs.
 *
 * - A retry targets the things whose executions ended FAILED, TIMED_OUT or
 *   REJECTED; a rollback, those that SUCCEEDED (they took the new version).
 * - The things are gathered by the workflow into the static thing group
 *   `fleetwave-<releaseId>-targets` (CreateJob takes at most 100 targets),
 *   which the new release targets.
 * - One wave over the whole set unless `waves` are given; given waves are
 *   percentage waves dividing the set.
 * - The original's maintenance windows carry over; its times do not.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { targetSetGroupName } from './cohorts.js';
import { ValidationError } from './errors.js';
import type { MaintenanceWindow } from './maintenance-windows.js';
import type { Release, WaveState } from './release.js';
import type { ReleaseDerivation } from './release-derivation.js';
import {
  canonicalJson,
  checkWavesTakePercentages,
  parseReleaseRequest,
  RELEASE_ID_MAX_LENGTH,
  type ReleaseRequest,
  type ReleaseRequestInput,
} from './release-request.js';
import type { JobProcessCounts } from './wave-progress.js';

export type DerivationKind = 'retry' | 'rollback';

/** The execution statuses that put a thing in each kind's set. */
export const targetSetStatuses: Readonly<Record<DerivationKind, readonly string[]>> = {
  retry: ['FAILED', 'TIMED_OUT', 'REJECTED'],
  rollback: ['SUCCEEDED'],
};

/** The counters of DescribeJob that count each kind's things. */
const setCounters: Readonly<Record<DerivationKind, readonly (keyof JobProcessCounts)[]>> = {
  retry: ['numberOfFailedThings', 'numberOfTimedOutThings', 'numberOfRejectedThings'],
  rollback: ['numberOfSucceededThings'],
};

/** What the caller asks of a retry or rollback. */
export interface DerivedReleaseAsk {
  /** The new release's id. */
  releaseId: string;
  /** The template to roll out: a retry's default is the original's; a rollback must name the one that restores the previous version. */
  jobTemplateId?: string | undefined;
  /**
   * Percentage waves over the set (cumulative, ending at 100); one wave over the whole set when absent.
   */
  waves?: ReleaseRequestInput['waves'] | undefined;
}

/** Executions that had not ended when the counters were last read: any of them may still join either set. */
const pendingCounters: readonly (keyof JobProcessCounts)[] = [
  'numberOfQueuedThings',
  'numberOfInProgressThings',
];

/**
 * How many things the original's waves may hold in the kind's set, from the
 * counters last read from IoT: those that ended in the set's statuses, plus
 * those still queued or running then (a failed wave's running devices
 * finish after it, and nothing reads its counters again). Zero means there
 * is nothing to retry or roll back; the exact set is gathered from the
 * executions by the workflow, once they have ended.
 */
export function countedSetSize(kind: DerivationKind, waves: readonly WaveState[]): number {
  const counters = [...setCounters[kind], ...pendingCounters];
  return waves.reduce(
    (sum, wave) => sum + counters.reduce((n, counter) => n + (wave.counts?.[counter] ?? 0), 0),
    0,
  );
}

/** The waves of a `kind`, checked by the rule `onFailure.rollback` follows too. */
const takesPercentages = (kind: DerivationKind) =>
  z.array(z.unknown()).superRefine((waves, ctx) => checkWavesTakePercentages(waves, ['waves'], kind, ctx));

const verb: Readonly<Record<DerivationKind, string>> = {
  retry: 'Retry of the failed things of release',
  rollback: 'Rollback of the things updated by release',
};

/**
 * The maintenance windows a retry or rollback keeps from `original`, so that
 * it notifies its devices when the original did (a nightly release's retry
 * runs at night too): the windows each wave ran in (its own, else the
 * release's) when all waves agree, else the release's. Undefined when the
 * original named none (the template's then apply, as they did). Its start
 * and end times are not kept: they belong to the original's run.
 */
function carriedWindows(original: Release): MaintenanceWindow[] | undefined {
  const own = original.schedulingConfig?.maintenanceWindows;
  const each = original.waves.map((wave) => wave.maintenanceWindows ?? own);
  const first = each[0];
  const agree = each.every((w) => canonicalJson(w ?? null) === canonicalJson(first ?? null));
  const windows = agree ? first : own;
  return windows?.map((w) => ({ ...w }));
}

/**
 * The request and derivation of a retry or rollback of `original`. It keeps
 * the original's maintenance windows ({@link carriedWindows}).
 * @throws ValidationError naming the field (a rollback without `jobTemplateId`, a wave naming its own targets, a bad wave)
 */
export function derivedRelease(
  kind: DerivationKind,
  original: Release,
  ask: DerivedReleaseAsk,
): { request: ReleaseRequest; derivation: ReleaseDerivation } {
  const jobTemplateId = ask.jobTemplateId ?? (kind === 'retry' ? original.jobTemplateId : undefined);
  if (jobTemplateId === undefined) {
    throw new ValidationError('Invalid request: jobTemplateId.', [
      { path: 'jobTemplateId', message: 'is required: the job template that puts the previous version back' },
    ]);
  }
  const waves = takesPercentages(kind).safeParse(ask.waves ?? []);
  if (!waves.success) {
    const fields = waves.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw ValidationError.fromZod(`Invalid request: ${fields}.`, waves.error);
  }
  const thingGroupName = targetSetGroupName(ask.releaseId);
  const windows = carriedWindows(original);
  const request = parseReleaseRequest({
    releaseId: ask.releaseId,
    jobTemplateId,
    targets: { thingGroups: [thingGroupName] },
    waves: ask.waves ?? [{ targets: { thingGroups: [thingGroupName] } }],
    description: `${verb[kind]} ${original.releaseId}`,
    ...(original.tags && { tags: original.tags }),
    ...(original.notify && { notify: original.notify }),
    ...(windows && { schedulingConfig: { maintenanceWindows: windows } }),
  });
  const targetSet = {
    sourceReleaseId: original.releaseId,
    statuses: [...targetSetStatuses[kind]],
    thingGroupName,
  };
  const derivation: ReleaseDerivation =
    kind === 'retry'
      ? { retryOf: original.releaseId, targetSet }
      : { rollbackOf: original.releaseId, targetSet };
  return { request, derivation };
}

/**
 * The id a retry or rollback takes when the caller names none:
 * `<releaseId>-retry` or `<releaseId>-rollback`, the same on every attempt.
 * So a retried request (or FailWave's `onFailure.rollback`, and a person
 * asking for the same rollback) finds the release already made instead of
 * sending the devices the job twice. An id too long for the suffix keeps
 * its head and gains a digest of the whole, so two long ids never share one.
 */
export function derivedReleaseId(kind: DerivationKind, releaseId: string): string {
  const suffix = `-${kind}`;
  const plain = `${releaseId}${suffix}`;
  if (plain.length <= RELEASE_ID_MAX_LENGTH) return plain;
  const digest = createHash('sha256').update(releaseId).digest('hex').slice(0, 8);
  const tail = `${suffix}-${digest}`;
  return `${releaseId.slice(0, RELEASE_ID_MAX_LENGTH - tail.length)}${tail}`;
}
