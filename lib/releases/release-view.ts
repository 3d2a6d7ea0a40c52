/**
 * How the API shows releases: the stored records without their internals
 * (`requestHash`, versions, history sequence numbers, task tokens), and
 * links to what can be done next.
 */
import {
  type HistoryEvent,
  pendingWave,
  type Release,
  type ReleaseWithWaves,
  type WaveState,
} from '../domain/release.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';

/** Paths of the release and of the actions its status allows now. */
export interface ReleaseLinks {
  self: string;
  history: string;
  /** While the release can still be canceled. */
  cancel?: string;
  /** While a wave waits for approval. */
  approve?: string;
  reject?: string;
}

/** A release as the API shows it: the request (waves as defined, defaults filled in) and where it stands. */
export type ReleaseRecordView = Omit<Release, 'requestHash' | 'version'>;

/** Where one wave stands: status, job, counts and shares, times, what it waits for. */
export type WaveStateView = Omit<WaveState, 'releaseId' | 'version'>;

/**
 * GET /releases/{releaseId} (and the answer of every action on a release):
 * the release, the state of every wave (`waves[i]` is wave `i + 1`, its
 * definition `release.waves[i]`), and links to what can be done now.
 */
export interface ReleaseView {
  release: ReleaseRecordView;
  waves: WaveStateView[];
  links: ReleaseLinks;
}

/** An item of GET /releases. */
export type ReleaseSummary = Pick<
  Release,
  | 'releaseId'
  | 'jobTemplateId'
  | 'description'
  | 'status'
  | 'statusReason'
  | 'currentWave'
  | 'createdAt'
  | 'updatedAt'
> & { waveCount: number; links: Pick<ReleaseLinks, 'self'> };

/** An item of GET /releases/{releaseId}/history. */
export type HistoryEventView = Omit<HistoryEvent, 'seq' | 'releaseId'>;

/** `/releases/<id>`; ids are `[a-zA-Z0-9_-]`, so nothing needs escaping, but encode anyway. */
export function releasePath(releaseId: string): string {
  return `/releases/${encodeURIComponent(releaseId)}`;
}

export function releaseLinks(release: Pick<Release, 'releaseId' | 'status'>): ReleaseLinks {
  const self = releasePath(release.releaseId);
  return {
    self,
    history: `${self}/history`,
    ...(!isTerminalReleaseStatus(release.status) && { cancel: `${self}/cancel` }),
    ...(release.status === 'WAITING_APPROVAL' && { approve: `${self}/approve`, reject: `${self}/reject` }),
  };
}

function waveStateView(state: WaveState): WaveStateView {
  const { releaseId: _id, version: _version, ...rest } = state;
  return rest;
}

export function releaseView({ release, waves }: ReleaseWithWaves): ReleaseView {
  const { requestHash: _hash, version: _version, ...rest } = release;
  return {
    release: rest,
    waves: release.waves.map((_, i) => waveStateView(waves[i] ?? pendingWave(release.releaseId, i + 1))),
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
  return rest;
}
