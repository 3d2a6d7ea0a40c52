/**
 * How the API shows releases: the stored records without their internals
 * (`requestHash`, versions, history sequence numbers, task tokens), and
 * links to what can be done next.
 */
import * as z from 'zod';
import { actorOrWorkflow } from '../domain/actors.js';
import {
  type HistoryEvent,
  historyEventSchema,
  pendingWave,
  type Release,
  type ReleaseWithWaves,
  releaseSchema,
  type WaveState,
  waveStateSchema,
} from '../domain/release.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';
import { waveWindowAt } from '../domain/wave-window.js';

/*
 * The answers are described by zod schemas derived from the stored records'
 * own schemas, so the types here and the OpenAPI document (whose response
 * schemas are checked against these) cannot drift from what is stored.
 */

/** Paths of the release and of the actions its status allows now. */
const releaseLinksSchema = z.object({
  self: z.string(),
  history: z.string(),
  /** While the release can still be canceled. */
  cancel: z.string().optional(),
  /** While a wave waits for approval. */
  approve: z.string().optional(),
  reject: z.string().optional(),
  /** While the release has not ended and no pause is asked for. */
  pause: z.string().optional(),
  /** While a pause is asked for or held. */
  resume: z.string().optional(),
});
type ReleaseLinks = z.output<typeof releaseLinksSchema>;

/** A release as the API shows it: the request (waves as defined, defaults filled in) and where it stands. */
const releaseRecordViewSchema = releaseSchema.omit({ requestHash: true, version: true });

/** Where one wave stands: status, job, counts and shares, times, what it waits for. */
const waveStateViewSchema = waveStateSchema.omit({ releaseId: true, version: true, clock: true });
type WaveStateView = z.output<typeof waveStateViewSchema>;

/**
 * GET /releases/{releaseId} (and the answer of every action on a release):
 * the release, the state of every wave (`waves[i]` is wave `i + 1`, its
 * definition `release.waves[i]`), and links to what can be done now.
 */
export const releaseViewSchema = z.object({
  release: releaseRecordViewSchema,
  waves: z.array(waveStateViewSchema),
  links: releaseLinksSchema,
});
export type ReleaseView = z.output<typeof releaseViewSchema>;

/** An item of GET /releases. */
export const releaseSummarySchema = releaseSchema
  .pick({
    releaseId: true,
    jobTemplateId: true,
    description: true,
    status: true,
    statusReason: true,
    currentWave: true,
    createdAt: true,
    updatedAt: true,
  })
  .extend({ waveCount: z.number().int().min(1), links: releaseLinksSchema.pick({ self: true }) });
export type ReleaseSummary = z.output<typeof releaseSummarySchema>;

/** An item of GET /releases/{releaseId}/history; every item names its actor. */
export const historyEventViewSchema = historyEventSchema
  .omit({ seq: true, releaseId: true })
  .extend({ actor: historyEventSchema.shape.actor.unwrap() });
export type HistoryEventView = z.output<typeof historyEventViewSchema>;

/** A page of a listing; `nextToken` only when more items follow. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextToken: z.string().optional() });
}

/** `/releases/<id>`; ids are `[a-zA-Z0-9_-]`, so nothing needs escaping, but encode anyway. */
function releasePath(releaseId: string): string {
  return `/releases/${encodeURIComponent(releaseId)}`;
}

function releaseLinks(release: Pick<Release, 'releaseId' | 'status' | 'pause'>): ReleaseLinks {
  const self = releasePath(release.releaseId);
  const ended = isTerminalReleaseStatus(release.status);
  return {
    self,
    history: `${self}/history`,
    ...(!ended && { cancel: `${self}/cancel` }),
    ...(!ended && !release.pause && { pause: `${self}/pause` }),
    ...(!ended && release.pause && { resume: `${self}/resume` }),
    ...(release.status === 'WAITING_APPROVAL' && { approve: `${self}/approve`, reject: `${self}/reject` }),
  };
}

/**
 * The wave as shown at `nowMs`: a running wave's `window` is its windows'
 * state now, computed from the windows its clock keeps (the workflow looks
 * at a wave seldom, and not at its windows' edges, so what its last look
 * saw may be stale); for a wave without a clock, as last recorded.
 */
function waveStateView(state: WaveState, nowMs: number): WaveStateView {
  const { releaseId: _id, version: _version, clock, ...rest } = state;
  const windows = clock?.windows;
  if (!windows || state.status !== 'IN_PROGRESS') return rest;
  const window = waveWindowAt(windows, nowMs);
  return { ...rest, ...(window && { window }) };
}

/**
 * The release and its waves as the API shows them; `nowMs` (the request's
 * clock) makes each running wave's `window` current.
 */
export function releaseView({ release, waves }: ReleaseWithWaves, nowMs: number): ReleaseView {
  const { requestHash: _hash, version: _version, ...rest } = release;
  return {
    release: rest,
    waves: release.waves.map((_, i) =>
      waveStateView(waves[i] ?? pendingWave(release.releaseId, i + 1), nowMs),
    ),
    links: releaseLinks(release),
  };
}

export function releaseSummary(release: Release): ReleaseSummary {
  const { releaseId, jobTemplateId, description, status, statusReason, currentWave, createdAt, updatedAt } =
    release;
  // Undefined members vanish when the answer is serialised.
  return {
    releaseId,
    jobTemplateId,
    description,
    status,
    statusReason,
    currentWave,
    waveCount: release.waves.length,
    createdAt,
    updatedAt,
    links: { self: releasePath(releaseId) },
  };
}

export function historyEventView(event: HistoryEvent): HistoryEventView {
  const { seq: _seq, releaseId: _id, ...rest } = event;
  // Events stored before every event named its actor: what named no caller was the workflow's.
  return { ...rest, actor: actorOrWorkflow(rest.actor) };
}
