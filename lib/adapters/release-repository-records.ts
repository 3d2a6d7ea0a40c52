/**
 * The shapes the release repository stores beyond the domain records, and
 * the history events it derives from them.
 */

import type { z } from 'zod';
import { actorOrWorkflow, WORKFLOW_ACTOR } from '../domain/actors.js';
import { ValidationError } from '../domain/errors.js';
import {
  approvalSchema,
  type HistoryEvent,
  type Release,
  releaseSchema,
  type WaveState,
  waveStateSchema,
} from '../domain/release.js';
import { sourceReleaseOf } from '../domain/release-derivation.js';
import { MAX_WAVES } from '../domain/release-request.js';
import { canTransition, type WaveStatus } from '../domain/statuses.js';
import { type HeldWave, waveStatusChanged } from '../domain/wave-move.js';
import { eventSeq, toRelease, toWaveState, waveEventSource } from './release-repository-items.js';

/** How often a change is re-read and retried after losing a race, before it is a ConflictError. */
export const MAX_ATTEMPTS = 5;

/**
 * A wave item as stored: the state plus what the state never shows, among
 * them the seqs of its last status and progress events, so either event can
 * be derived again from the item, identically, until the next change of
 * that kind replaces it.
 */
export type WaveItem = HeldWave & { statusEventSeq?: string; progressEventSeq?: string };

/**
 * A release item as stored: the release plus the key of its last status
 * event (`statusEventAt` is absent on items written before it was kept).
 */
export interface ReleaseItem {
  release: Release;
  statusEventSeq: string;
  statusEventAt?: string;
  /** The token of the workflow task holding a PAUSED release (release-pause.ts); never shown. */
  holdToken?: string;
}

/**
 * Checks a record before it is written, so the repository never stores what
 * it could not read back (e.g. a negative `expectedThings` from a caller).
 * @throws ValidationError naming the bad fields
 */
function checked<T>(schema: z.ZodType<unknown>, record: T, what: string): T {
  const result = schema.safeParse(record);
  if (!result.success) throw ValidationError.fromZod(`The ${what} change is invalid.`, result.error);
  return record;
}

export function checkedRelease(release: Release): Release {
  return checked(releaseSchema, release, 'release');
}

export function checkedWave<T extends WaveState>(wave: T): T {
  return checked(waveStateSchema, wave, 'wave');
}

/** @throws ValidationError unless `waveNumber` is an integer from 1 to 50 */
export function checkWaveNumber(waveNumber: number): void {
  if (!Number.isInteger(waveNumber) || waveNumber < 1 || waveNumber > MAX_WAVES) {
    throw new ValidationError('The wave number is invalid.', [
      { path: 'waveNumber', message: `must be an integer from 1 to ${MAX_WAVES}` },
    ]);
  }
}

/** Checks the `from` list a caller gave (or takes the default). @throws ValidationError for a move the table forbids */
export function allowedFrom<S extends string>(
  table: Readonly<Record<S, readonly S[]>>,
  fallback: readonly S[],
  from: readonly S[] | undefined,
  to: S,
  what: string,
): readonly S[] {
  const list = from ?? fallback;
  const forbidden = list.filter((s) => !canTransition(table, s, to));
  if (list.length === 0 || forbidden.length > 0) {
    throw new ValidationError(
      `A ${what} cannot move to ${to} from ${forbidden.join(', ') || 'any status'}.`,
      [{ path: 'from', message: `no allowed move to ${to}` }],
    );
  }
  return list;
}

/** A wave status change (see {@link waveStatusChanged}) with the seq of the history event it writes. */
export function statusChange(current: WaveItem, to: WaveStatus, at: string): WaveItem {
  return withStatusEventSeq(waveStatusChanged(current, to, at));
}

/** Stamps a wave that just changed status with the seq of its history event, from the version it reached. */
export function withStatusEventSeq(wave: WaveItem): WaveItem {
  return { ...wave, statusEventSeq: eventSeq(waveEventSource(wave.waveNumber), wave.version) };
}

export function publicWave(item: WaveItem): WaveState {
  const {
    taskToken: _secret,
    approval: _approval,
    statusEventSeq: _seq,
    progressEventSeq: _progress,
    ...state
  } = item;
  return state;
}

/** A stored release item read back, with the key of its last status event. */
export function toReleaseItem(item: Record<string, unknown>): ReleaseItem {
  const { statusEventSeq, statusEventAt, holdToken } = item;
  return {
    release: toRelease(item),
    statusEventSeq: String(statusEventSeq),
    ...(typeof statusEventAt === 'string' && { statusEventAt }),
    ...(typeof holdToken === 'string' && { holdToken }),
  };
}

/** A stored wave item read back, with what its state never shows. */
export function toWaveItem(item: Record<string, unknown>): WaveItem {
  const { taskToken, approval, statusEventSeq, progressEventSeq } = item;
  const stored = approvalSchema.safeParse(approval);
  return {
    ...toWaveState(item),
    ...(typeof taskToken === 'string' && { taskToken }),
    ...(stored.success && { approval: stored.data }),
    ...(typeof statusEventSeq === 'string' && { statusEventSeq }),
    ...(typeof progressEventSeq === 'string' && { progressEventSeq }),
  };
}

/**
 * The release's last status event as its item holds it: none for an item
 * written before `statusEventAt` was kept, whose event time is unknown and
 * never guessed (a guess could duplicate the event under another key).
 */
export function knownReleaseStatusEvents(stored: ReleaseItem): HistoryEvent[] {
  return stored.statusEventAt === undefined ? [] : [releaseStatusEvent(stored)];
}

/** The history event of the release's last status change, derived from its item. */
export function releaseStatusEvent({ release, statusEventSeq, statusEventAt }: ReleaseItem): HistoryEvent {
  return {
    releaseId: release.releaseId,
    type: release.previousStatus === undefined ? 'RELEASE_CREATED' : 'RELEASE_STATUS_CHANGED',
    at: statusEventAt ?? release.updatedAt,
    seq: statusEventSeq,
    from: release.previousStatus,
    to: release.status,
    reason: release.statusReason,
    actor: actorOrWorkflow(release.statusActor),
    ...(release.previousStatus === undefined && { relatedReleaseId: sourceReleaseOf(release) }),
  };
}

/** The history event of the wave's last status change, derived from its item. */
export function waveStatusEvent(wave: WaveItem): HistoryEvent {
  return {
    releaseId: wave.releaseId,
    type: 'WAVE_STATUS_CHANGED',
    at: wave.statusChangedAt ?? wave.updatedAt ?? '',
    seq: wave.statusEventSeq ?? eventSeq(waveEventSource(wave.waveNumber), wave.version),
    waveNumber: wave.waveNumber,
    from: wave.previousStatus,
    to: wave.status,
    reason: wave.reason,
    actor: actorOrWorkflow(wave.statusActor),
    jobId: wave.jobId,
  };
}

/** Stamps a wave that just recorded progress with the seq of its progress event. */
export function withProgressEventSeq(wave: WaveItem): WaveItem {
  return { ...wave, progressEventSeq: eventSeq(waveEventSource(wave.waveNumber), wave.version) };
}

/** The history event of the wave's last recorded progress, derived from its item. */
export function waveProgressEvent(wave: WaveItem): HistoryEvent {
  return {
    releaseId: wave.releaseId,
    type: 'WAVE_PROGRESS',
    at: wave.lastPolledAt ?? wave.updatedAt ?? '',
    seq: wave.progressEventSeq ?? eventSeq(waveEventSource(wave.waveNumber), wave.version),
    waveNumber: wave.waveNumber,
    // Progress is what the workflow saw; nobody asks for it.
    actor: WORKFLOW_ACTOR,
    jobId: wave.jobId,
    counts: wave.counts,
    jobStatus: wave.jobStatus,
    succeededPercent: wave.succeededPercent,
    failedPercent: wave.failedPercent,
  };
}
