/**
 * The port through which the API and the workflow read and change releases.
 * `ReleaseRepository` (DynamoDB) implements it; unit tests may fake it.
 *
 * Every change is one conditional write, so a retried or concurrent caller
 * can never move a release or a wave backwards. Changes that are already in
 * place (a retried task) are not errors: they return `changed: false` with
 * the stored state. A change that contradicts the stored state throws
 * ConflictError.
 */

import type {
  Approval,
  HistoryEvent,
  Release,
  ReleaseWithWaves,
  TaskTokenPurpose,
  WaveClock,
  WaveState,
  WaveWindow,
} from './release.js';
import type { ReleaseDerivation } from './release-derivation.js';
import type { HeldRelease, PauseAction, PauseHalt } from './release-pause.js';
import type { ReleaseRequest } from './release-request.js';
import type { ReleaseStatus, WaveStatus } from './statuses.js';
import type { Instant } from './wave-evaluation.js';
import type { WaveHaltChange } from './wave-halt.js';
import type { JobProcessCounts } from './wave-progress.js';

/** A page of results; `nextToken` is opaque and present only when more items follow. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageRequest {
  /** 1–100 (default 25) for releases, 1–500 (default 100) for history. */
  limit?: number;
  nextToken?: string;
}

/** The result of a change: the stored state after it, and whether this call made it. */
export interface Changed<T> {
  value: T;
  /** False when the store already held this change (a retry) and nothing was written. */
  changed: boolean;
}

export interface ReleaseTransition {
  to: ReleaseStatus;
  /** Statuses the release may be in; default: every status the table allows to reach `to`. */
  from?: readonly ReleaseStatus[];
  /** Why (failure reason, cancel note); replaces the stored reason, which is cleared when absent. */
  reason?: string;
  /** Who asked (a caller's identity); recorded in the history event, cleared when absent. */
  actor?: string | undefined;
  currentWave?: number;
  executionArn?: string;
  /** The end behaviour applied at the release's end time (the move to CANCELED). */
  endedAtEndTime?: Release['endedAtEndTime'];
  at?: Instant;
}

export interface WaveStart {
  /** The IoT job id, `waveJobId(releaseId, waveNumber)`. */
  jobId: string;
  /** The cohort's thing group, for a percentage wave. */
  thingGroupName?: string;
  /** Things the wave is built to reach, when known. */
  expectedThings?: number;
  at?: Instant;
}

export interface WaveObservation {
  counts: JobProcessCounts;
  jobStatus: string;
  /** When DescribeJob answered; an observation older than the stored one is ignored. */
  polledAt?: Instant;
  /** The wave's maintenance windows at `polledAt`; a change alone is written too. Absent: kept as stored. */
  window?: WaveWindow | undefined;
  /** The wave's clock, when it was (re)started; a change alone is written too. Absent: kept as stored. */
  clock?: WaveClock | undefined;
}

export interface WaveTransition {
  /** Statuses the wave may be in; default: every status the table allows to reach `to`. */
  from?: readonly WaveStatus[];
  reason?: string;
  /** Who asked (a caller's identity, e.g. the one who canceled the release); cleared when absent. */
  actor?: string | undefined;
  at?: Instant;
}

export type TerminalWaveStatus = Extract<WaveStatus, 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CANCELED'>;

/** A task token taken from a wave, for `SendTaskSuccess`/`SendTaskFailure`. */
export interface TakenTaskToken {
  token: string;
  purpose: TaskTokenPurpose;
  storedAt: string;
}

/** What the workflow's hold found: `held` (the release PAUSED with the token), or no pause asked for any more. */
export interface HoldResult {
  release: Release;
  /** False when no pause is asked for (resumed meanwhile): nothing was stored. */
  held: boolean;
  /** True when this hold moved the release to PAUSED (false: it was PAUSED already). */
  moved: boolean;
}

/** What undoes a resume that could not be delivered: the record before it, and the version it wrote. */
export interface ResumeUndo {
  before: HeldRelease;
  resumedVersion: number;
}

/** What a resume did. */
export interface ResumeResult {
  release: Release;
  /** True when the release was held (PAUSED); false when only a pause asked for was dropped. */
  wasHeld: boolean;
  /** The hold's task token, to send the resume with, when the hold kept one. */
  taken?: string;
  undo: ResumeUndo;
}

/** The original's side of a retry or rollback: which release was made from it, by whom, and why. */
export interface ReleaseLink {
  /** The new release (a retry or rollback of this one). */
  relatedReleaseId: string;
  /** E.g. `Retried as release <id>`, `Rolled back by release <id>`. */
  reason: string;
  /** Who asked for the new release. */
  actor: string;
  /** When: the new release's `createdAt`, so every attempt names the same event. */
  at: string;
}

/**
 * A target set found complete (`ReleaseStore.recordTargetSetGathered`):
 * how many things its group holds, when, and what was left out of it (only
 * when not 0; see `TargetSet` in release.ts).
 */
export interface TargetSetGathered {
  things: number;
  at?: Instant;
  stillRunning?: number | undefined;
  thingsGone?: number | undefined;
}

export interface ReleaseStore {
  /**
   * Stores a new PENDING release. Idempotent: the same id with the same
   * request (same `releaseRequestHash`) returns the stored release with
   * `changed: false`. `actor`, the caller's identity, is recorded with the
   * release's first history event. A retry or rollback also stores its
   * `derivation` (part of the hash: the same id from another source is a
   * conflict). @throws ConflictError when the id exists with another request.
   */
  createRelease(
    request: ReleaseRequest,
    actor?: string,
    derivation?: ReleaseDerivation,
  ): Promise<Changed<Release>>;

  /**
   * Adds the `RELEASE_LINKED` event to the history of `releaseId` (the
   * original of a retry or rollback). Idempotent: the event's key follows
   * from the link alone, so writing the same link again keeps one event;
   * true when this call wrote it. Does not check that the release exists.
   * @throws ThrottledError, UpstreamError
   */
  linkRelease(releaseId: string, link: ReleaseLink): Promise<boolean>;

  /** The release and all its waves. @throws NotFoundError */
  getRelease(releaseId: string): Promise<ReleaseWithWaves>;

  /** One wave's state (PENDING, version 0, when nothing happened to it yet); does not check that the release exists. */
  getWave(releaseId: string, waveNumber: number): Promise<WaveState>;

  /** Releases, newest first, optionally of one status. @throws ValidationError for a bad limit or token */
  listReleases(request?: PageRequest & { status?: ReleaseStatus }): Promise<Page<Release>>;

  /** A release's history, oldest first. @throws NotFoundError, ValidationError */
  listHistory(releaseId: string, request?: PageRequest): Promise<Page<HistoryEvent>>;

  /**
   * Writes again any history event a writer that stopped between a record
   * and its event left out (the last status change of the release and of
   * each wave, each wave's last progress); returns how many were missing.
   * @throws ThrottledError, UpstreamError
   */
  repairHistory(releaseId: string): Promise<number>;

  /**
   * Records a retry's or rollback's target set complete in its group: how
   * many things it holds and when, in one write. A set recorded already is
   * kept (`changed: false`). @throws NotFoundError, ConflictError when the release has no target set
   */
  recordTargetSetGathered(releaseId: string, gathered: TargetSetGathered): Promise<Changed<Release>>;

  /** Moves a release to `transition.to` if it is in one of `from`. @throws NotFoundError, ConflictError */
  transitionRelease(releaseId: string, transition: ReleaseTransition): Promise<Changed<Release>>;

  /** PENDING → IN_PROGRESS with the wave's job. Retrying with the same jobId is a no-op. @throws ConflictError */
  startWave(releaseId: string, waveNumber: number, start: WaveStart): Promise<Changed<WaveState>>;

  /**
   * Stores the counters of an IN_PROGRESS or BAKING wave and a history event,
   * only when the counters or the job status changed. @throws ConflictError
   */
  recordWaveProgress(
    releaseId: string,
    waveNumber: number,
    observation: WaveObservation,
  ): Promise<Changed<WaveState>>;

  /**
   * Records on an IN_PROGRESS wave that its last job was halted, or that it
   * went on after the halt (its follow-up job, or nothing left), by the
   * rule of `withWaveHalt`; a change in place already is `changed: false`.
   * @throws ConflictError
   */
  changeWaveHalt(releaseId: string, waveNumber: number, change: WaveHaltChange): Promise<Changed<WaveState>>;

  /** Any allowed wave move (e.g. IN_PROGRESS → BAKING). @throws ConflictError */
  transitionWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    transition?: WaveTransition,
  ): Promise<Changed<WaveState>>;

  /** Ends a wave (and drops any task token it held). @throws ConflictError */
  finishWave(
    releaseId: string,
    waveNumber: number,
    to: TerminalWaveStatus,
    transition?: WaveTransition,
  ): Promise<Changed<WaveState>>;

  /** Cancels every wave that never started; returns their numbers. @throws NotFoundError */
  markRemainingWavesCanceled(releaseId: string, transition?: Omit<WaveTransition, 'from'>): Promise<number[]>;

  /** Keeps the token of a workflow task that waits on this wave, replacing any earlier one. */
  storeTaskToken(
    releaseId: string,
    waveNumber: number,
    token: { token: string; purpose: TaskTokenPurpose; at?: Instant },
  ): Promise<WaveState>;

  /**
   * Records a person's approval at the wave's open gate and takes the gate's
   * token (undefined when it held none), in one write: of concurrent answers
   * exactly one records. @throws ConflictError when no gate is open or it was answered
   */
  approveGate(releaseId: string, waveNumber: number, approval: Approval): Promise<TakenTaskToken | undefined>;

  /**
   * Opens the wave's approval gate with `token`, unless an approval is
   * recorded there already: then returns it and stores nothing.
   */
  openGate(
    releaseId: string,
    waveNumber: number,
    token: { token: string; at?: Instant },
  ): Promise<Approval | undefined>;

  /** Undoes {@link approveGate}: drops the approval and puts back the token it took. */
  withdrawApproval(releaseId: string, waveNumber: number, taken: TakenTaskToken | undefined): Promise<void>;

  /** The approval recorded at the wave's gate, if any. */
  approvalOf(releaseId: string, waveNumber: number): Promise<Approval | undefined>;

  /**
   * Records a pause asked for on the release, in one write; a release with a
   * pause asked for or held already is unchanged. With `halt`, the pause
   * also records the wave job it halts (`pause.haltRollout`,
   * `pause.haltedJobId`), a pause asked for without it included.
   * @throws NotFoundError, ConflictError when the release has ended, or moved on from the halted wave
   */
  requestPause(releaseId: string, action: PauseAction, halt?: PauseHalt): Promise<Changed<Release>>;

  /**
   * The workflow's hold: a release with a pause asked for moves
   * IN_PROGRESS → PAUSED (`where` says at which point) and keeps `token`, in
   * one write; a PAUSED one takes the new token. With no pause asked for,
   * nothing is stored (`held: false`).
   * @throws NotFoundError, ConflictError when the release is neither IN_PROGRESS nor PAUSED
   */
  holdRelease(releaseId: string, hold: { token: string; where: string; at?: Instant }): Promise<HoldResult>;

  /**
   * Drops the pause and, for a held release, moves it PAUSED → IN_PROGRESS
   * and takes the hold's token, in one write.
   * @throws NotFoundError, ConflictError when no pause is asked for or held
   */
  resumeRelease(releaseId: string, action: PauseAction): Promise<ResumeResult>;

  /** Undoes {@link resumeRelease} unless the release changed since. */
  withdrawResume(releaseId: string, undo: ResumeUndo): Promise<void>;

  /**
   * Removes and returns the wave's task token (of `purpose`, if given); one
   * caller wins, every other gets undefined.
   */
  takeTaskToken(
    releaseId: string,
    waveNumber: number,
    purpose?: TaskTokenPurpose,
  ): Promise<TakenTaskToken | undefined>;
}
