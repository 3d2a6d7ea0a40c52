/**
 * The release answers the CLI reads (loose zod schemas: see `answers.ts`),
 * and {@link ReleaseView}, the one shape every release display works from.
 */
import * as z from 'zod';
import type { DerivationKind } from '../../lib/domain/derived-release.js';
import {
  jobProcessCountsSchema,
  historyEventSchema as storedHistoryEventSchema,
  targetSetSchema as storedTargetSetSchema,
  waveStateSchema as storedWaveStateSchema,
  type TargetSet,
} from '../../lib/domain/release.js';
import { countsFromJobProcessDetails, summarizeProgress } from '../../lib/domain/wave-progress.js';
import { readAnswer } from './answers.js';
import type { ApiAnswer } from './client.js';

const targetsSchema = z.looseObject({
  thingGroups: z.array(z.string()).optional(),
  things: z.array(z.string()).optional(),
});

const waveDefinitionSchema = z.looseObject({
  targets: targetsSchema.optional(),
  percentage: z.number().optional(),
  requireApproval: z.boolean().optional(),
  bakeTimeMinutes: z.number().optional(),
});

export const releaseSummarySchema = z.looseObject({
  releaseId: z.string(),
  status: z.string(),
  jobTemplateId: z.string().optional(),
  targets: targetsSchema.optional(),
  /** The wave definitions (GET /releases/{id}); a listing gives only their number, `waveCount`. */
  waves: z.array(waveDefinitionSchema).optional(),
  waveCount: z.number().optional(),
  description: z.string().optional(),
  currentWave: z.number().optional(),
  statusReason: z.string().optional(),
  /** Who created the release (an IAM ARN, `github:<login>`, `events:<source>@<account>`...). */
  createdBy: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  /** A pause asked for (or held, with `heldAt`). */
  pause: z
    .looseObject({
      requestedAt: z.string(),
      heldAt: z.string().optional(),
      haltRollout: z.boolean().optional(),
    })
    .optional(),
  /** The release whose failed things this one retries, or whose updated things it rolls back. */
  retryOf: z.string().optional(),
  rollbackOf: z.string().optional(),
  /** How many things the workflow gathered for a retry or rollback, once it has. */
  targetSet: storedTargetSetSchema.partial().optional(),
  /** When the release starts and ends (`YYYY-MM-DDTHH:MM`, UTC), when scheduled. */
  schedulingConfig: z
    .looseObject({ startTime: z.string().optional(), endTime: z.string().optional() })
    .optional(),
});
export type ReleaseSummary = z.infer<typeof releaseSummarySchema>;

/** The eight IoT counters; any may be missing from an answer (it then counts 0). */
const countsSchema = jobProcessCountsSchema.partial();

/** A wave's state as the API answers it: the stored wave, its status and waiting purpose read as plain strings. */
const waveStateSchema = storedWaveStateSchema
  .pick({
    jobId: true,
    expectedThings: true,
    jobStatus: true,
    reason: true,
    startedAt: true,
    finishedAt: true,
    window: true,
  })
  .partial()
  .extend({
    waveNumber: z.number(),
    status: z.string(),
    waitingFor: z.string().optional(),
    counts: countsSchema.optional(),
  });

/** GET /releases/{releaseId}: the release and the state of each wave. */
const releaseDetailSchema = z.looseObject({
  release: releaseSummarySchema,
  waves: z.array(waveStateSchema),
});

/**
 * One entry of GET /releases/{releaseId}/history: the stored event, with its
 * type read as a plain string so an event type newer than this CLI still shows.
 */
export const historyEventSchema = storedHistoryEventSchema
  .partial()
  .extend({ type: z.string(), at: z.string(), counts: countsSchema.optional() });
export type HistoryEntry = z.infer<typeof historyEventSchema>;

/** One wave as the CLI shows it. */
export interface WaveView {
  /** 1-based. */
  number: number;
  status: string;
  /** What the wave reaches: `10%` of the fleet, or its own targets. */
  scope: string;
  /** The denominator of the bar: expected things, or every execution IoT counts. */
  total: number;
  succeeded: number;
  /** FAILED + REJECTED + TIMED_OUT. */
  failed: number;
  /** QUEUED + IN_PROGRESS. */
  inProgress: number;
  requireApproval: boolean;
  waitingFor?: string;
  reason?: string;
  /** Set while the wave waits for its maintenance window: when it opens (ISO-8601), if ever. */
  windowClosed?: { opensAt?: string };
}

/** A release as the CLI shows it. */
export interface ReleaseView {
  releaseId: string;
  status: string;
  jobTemplateId?: string;
  currentWave?: number;
  statusReason?: string;
  createdBy?: string;
  createdAt?: string;
  updatedAt?: string;
  /** `schedulingConfig`'s start and end times (`YYYY-MM-DDTHH:MM`, UTC), when it has them. */
  startTime?: string;
  endTime?: string;
  /** Set while a pause is asked for; `held` once the release is PAUSED; `halted` when it stopped the running wave. */
  pause?: { held: boolean; halted: boolean };
  /** A retry or rollback: the release it was made from, and its things once gathered. */
  madeFrom?: { kind: DerivationKind; releaseId: string } & Pick<TargetSet, 'things'>;
  waves: WaveView[];
}

function scopeOf(definition: z.infer<typeof waveDefinitionSchema> | undefined): string {
  if (definition?.percentage !== undefined) return `${definition.percentage}%`;
  const groups = definition?.targets?.thingGroups ?? [];
  const things = definition?.targets?.things ?? [];
  const names = [...groups, ...things];
  if (names.length === 0) return '';
  return names.length <= 2 ? names.join(',') : `${names.length} targets`;
}

/**
 * The number of the last wave that started (it has a job or a start time),
 * or undefined before the first. The waves' own states say where a release
 * is even when its `currentWave` was last set at an earlier step.
 */
function lastStartedWave(waves: readonly z.infer<typeof waveStateSchema>[]): number | undefined {
  const started = waves
    .filter((w) => w.jobId !== undefined || w.startedAt !== undefined)
    .map((w) => w.waveNumber);
  return started.length > 0 ? Math.max(...started) : undefined;
}

function madeFromOf(release: ReleaseSummary): Pick<ReleaseView, 'madeFrom'> {
  const things = release.targetSet?.things;
  const from = (kind: DerivationKind, releaseId: string) => ({
    madeFrom: { kind, releaseId, ...(things !== undefined && { things }) },
  });
  if (release.retryOf) return from('retry', release.retryOf);
  if (release.rollbackOf) return from('rollback', release.rollbackOf);
  return {};
}

/** Reads GET /releases/{releaseId}'s answer into a {@link ReleaseView}. */
export function readReleaseView(answer: ApiAnswer): ReleaseView {
  const { release, waves } = readAnswer(releaseDetailSchema, answer, 'describing a release');
  const definitions = release.waves ?? [];
  const states = new Map(waves.map((w) => [w.waveNumber, w]));
  const count = Math.max(definitions.length, ...waves.map((w) => w.waveNumber));
  return {
    releaseId: release.releaseId,
    status: release.status,
    jobTemplateId: release.jobTemplateId,
    currentWave: lastStartedWave(waves) ?? release.currentWave,
    statusReason: release.statusReason,
    createdBy: release.createdBy,
    createdAt: release.createdAt,
    updatedAt: release.updatedAt,
    ...(release.pause && {
      pause: { held: release.pause.heldAt !== undefined, halted: release.pause.haltRollout === true },
    }),
    ...madeFromOf(release),
    ...(release.schedulingConfig?.startTime && { startTime: release.schedulingConfig.startTime }),
    ...(release.schedulingConfig?.endTime && { endTime: release.schedulingConfig.endTime }),
    waves: Array.from({ length: count }, (_, i) => {
      const state = states.get(i + 1);
      const progress = summarizeProgress(countsFromJobProcessDetails(state?.counts), state?.expectedThings);
      return {
        number: i + 1,
        status: state?.status ?? 'PENDING',
        scope: scopeOf(definitions[i]),
        total: progress.total,
        succeeded: progress.succeeded,
        failed: progress.failed,
        inProgress: progress.pending,
        requireApproval: definitions[i]?.requireApproval === true,
        waitingFor: state?.waitingFor,
        reason: state?.reason,
        ...(state?.window?.open === false &&
          state.status === 'IN_PROGRESS' && {
            windowClosed: state.window.opensAt ? { opensAt: state.window.opensAt } : {},
          }),
      };
    }),
  };
}
