/**
 * A {@link ReleaseStore} in memory for unit tests, with the rules of the
 * DynamoDB `ReleaseRepository`: a change already in place (a retry) is
 * `changed: false` and writes nothing, a move the stored state forbids is a
 * ConflictError, history events are written only with a change and listed
 * in the repository's key order, and a task token is taken by one caller
 * only. Each call runs atomically after one awaited `enter` hook, so
 * concurrent callers interleave between calls as they would between network
 * round trips.
 *
 * The release half is here; the waves are in memory-wave-records.ts, the
 * writes and the history in memory-release-log.ts, paging in
 * memory-release-pages.ts.
 */

import { allowedFrom, releaseStatusEvent } from '../../lib/adapters/release-repository-records.js';
import { ConflictError, NotFoundError } from '../../lib/domain/errors.js';
import type { Approval } from '../../lib/domain/release.js';
import {
  type HistoryEvent,
  pendingWave,
  type Release,
  type ReleaseWithWaves,
  type TaskTokenPurpose,
  type WaveState,
} from '../../lib/domain/release.js';
import { type ReleaseDerivation, storedRequestHash } from '../../lib/domain/release-derivation.js';
import { movedRelease } from '../../lib/domain/release-move.js';
import type { HeldRelease, PauseAction, PauseHalt } from '../../lib/domain/release-pause.js';
import {
  type HeldReleaseChange,
  holdReleaseWith,
  requestPauseWith,
  resumeReleaseWith,
  withdrawResumeWith,
} from '../../lib/domain/release-pause-store.js';
import {
  parseReleaseRequest,
  type ReleaseRequest,
  type ReleaseRequestInput,
  releaseRequestHash,
} from '../../lib/domain/release-request.js';
import type {
  Changed,
  HoldResult,
  Page,
  PageRequest,
  ReleaseLink,
  ReleaseStore,
  ReleaseTransition,
  ResumeResult,
  ResumeUndo,
  TakenTaskToken,
  TargetSetGathered,
  TerminalWaveStatus,
  WaveObservation,
  WaveStart,
  WaveTransition,
} from '../../lib/domain/release-store.js';
import {
  type ReleaseStatus,
  releaseStatusesLeadingTo,
  releaseTransitions,
  type WaveStatus,
} from '../../lib/domain/statuses.js';
import { recordTargetSetWith } from '../../lib/domain/target-set.js';
import type { Instant } from '../../lib/domain/wave-evaluation.js';
import type { WaveHaltChange } from '../../lib/domain/wave-halt.js';
import { MemoryReleaseLog, withoutSeq } from './memory-release-log.js';
import { pageOf } from './memory-release-pages.js';
import { MemoryWaveRecords, type StoredWave } from './memory-wave-records.js';

export type { StoredWave } from './memory-wave-records.js';

/** The name of a {@link ReleaseStore} operation, as passed to {@link MemoryReleaseStore.enter}. */
export type ReleaseStoreOperation = keyof ReleaseStore;

/** A {@link ReleaseStore} in memory, with the repository's rules. */
export class MemoryReleaseStore implements ReleaseStore {
  readonly releases = new Map<string, Release>();
  private readonly log: MemoryReleaseLog;
  private readonly waveRecords: MemoryWaveRecords;
  /** The token of the task holding each PAUSED release, never shown (as on the repository's item). */
  private readonly holdTokens = new Map<string, string>();
  /** Runs once, at the start of the next release transition: a concurrent writer getting in first. */
  private interleaved: (() => void) | undefined;

  /** @param now the clock for changes that give no `at` */
  constructor(now: () => Instant) {
    this.log = new MemoryReleaseLog(now);
    this.waveRecords = new MemoryWaveRecords(this.log);
  }

  /** Waves that changed, by `<releaseId>#<waveNumber>`; the others are PENDING. */
  get waves(): Map<string, StoredWave> {
    return this.waveRecords.items;
  }

  /** Every history event written, in the repository's key order (time, then write). */
  get history(): readonly HistoryEvent[] {
    return this.log.history;
  }

  /** Writes made (not counting reads or unchanged retries). */
  get writes(): number {
    return this.log.writes;
  }

  /**
   * Runs at the start of every operation, before it reads anything.
   * Subclasses override it to fail or delay calls.
   */
  protected enter(_op: ReleaseStoreOperation): Promise<void> | void {}

  /** Makes `change` happen just before the next release transition reads the release. */
  interleave(change: () => void): void {
    this.interleaved = change;
  }

  /** Stores a release directly in `status`, with waves 1, 2, … in the given states: test set-up, no history. */
  seed(
    input: ReleaseRequestInput,
    status: ReleaseStatus = 'PENDING',
    waves: Partial<StoredWave>[] = [],
  ): Release {
    const request = parseReleaseRequest(input);
    const release = this.newRelease(request, status);
    this.releases.set(release.releaseId, release);
    waves.forEach((wave, i) => {
      const waveNumber = i + 1;
      this.waves.set(`${release.releaseId}#${waveNumber}`, {
        ...pendingWave(release.releaseId, waveNumber),
        version: 1,
        ...wave,
      });
    });
    return structuredClone(release);
  }

  /** The task token a wave holds (test inspection). */
  tokenOf(releaseId: string, waveNumber: number): string | undefined {
    return this.waveRecords.stored(releaseId, waveNumber).taskToken;
  }

  async createRelease(
    request: ReleaseRequest,
    actor?: string,
    derivation?: ReleaseDerivation,
  ): Promise<Changed<Release>> {
    await this.enter('createRelease');
    const existing = this.releases.get(request.releaseId);
    if (existing) {
      if (existing.requestHash !== storedRequestHash(request, derivation)) {
        throw new ConflictError(
          `Release ${request.releaseId} already exists with a different request.`,
          request.releaseId,
        );
      }
      return { value: structuredClone(existing), changed: false };
    }
    const release = {
      ...this.newRelease(request, 'PENDING'),
      ...derivation,
      requestHash: storedRequestHash(request, derivation),
      ...(actor !== undefined && { statusActor: actor, createdBy: actor }),
    };
    this.releases.set(release.releaseId, release);
    this.log.wrote();
    this.log.event(withoutSeq(releaseStatusEvent({ release, statusEventSeq: '' })));
    return { value: structuredClone(release), changed: true };
  }

  /** As the repository: one event per link, however often it is written; does not check the release. */
  async linkRelease(releaseId: string, link: ReleaseLink): Promise<boolean> {
    await this.enter('linkRelease');
    const linked = this.log
      .historyOf(releaseId)
      .some((e) => e.type === 'RELEASE_LINKED' && e.relatedReleaseId === link.relatedReleaseId);
    if (linked) return false;
    this.log.wrote();
    this.log.event({ releaseId, type: 'RELEASE_LINKED', ...link });
    return true;
  }

  async getRelease(releaseId: string): Promise<ReleaseWithWaves> {
    await this.enter('getRelease');
    const release = this.requireRelease(releaseId);
    const waves = release.waves.map((_, i) => this.waveRecords.publicWave(releaseId, i + 1));
    return structuredClone({ release, waves });
  }

  async getWave(releaseId: string, waveNumber: number): Promise<WaveState> {
    await this.enter('getWave');
    return this.waveRecords.publicWave(releaseId, waveNumber);
  }

  async listReleases(request: PageRequest & { status?: ReleaseStatus } = {}): Promise<Page<Release>> {
    await this.enter('listReleases');
    const all = [...this.releases.values()]
      .filter((r) => !request.status || r.status === request.status)
      .sort((a, b) => `${b.createdAt}#${b.releaseId}`.localeCompare(`${a.createdAt}#${a.releaseId}`));
    return pageOf(all, request, 25, 100, request.status ?? '');
  }

  async listHistory(releaseId: string, request: PageRequest = {}): Promise<Page<HistoryEvent>> {
    await this.enter('listHistory');
    this.requireRelease(releaseId);
    return pageOf(this.log.historyOf(releaseId), request, 100, 500, `history:${releaseId}`);
  }

  /** A record and its event are written together here: nothing is ever missing. */
  async repairHistory(releaseId: string): Promise<number> {
    await this.enter('repairHistory');
    this.requireRelease(releaseId);
    return 0;
  }

  /** The token the task holding a paused release left (test inspection). */
  holdTokenOf(releaseId: string): string | undefined {
    return this.holdTokens.get(releaseId);
  }

  async requestPause(releaseId: string, action: PauseAction, halt?: PauseHalt): Promise<Changed<Release>> {
    await this.enter('requestPause');
    return requestPauseWith(this.changeOf(releaseId), { ...action, at: this.log.iso(action.at) }, halt);
  }

  async holdRelease(
    releaseId: string,
    hold: { token: string; where: string; at?: Instant },
  ): Promise<HoldResult> {
    await this.enter('holdRelease');
    return holdReleaseWith(this.changeOf(releaseId), { ...hold, at: this.log.iso(hold.at) });
  }

  async resumeRelease(releaseId: string, action: PauseAction): Promise<ResumeResult> {
    await this.enter('resumeRelease');
    return resumeReleaseWith(this.changeOf(releaseId), { ...action, at: this.log.iso(action.at) });
  }

  async withdrawResume(releaseId: string, undo: ResumeUndo): Promise<void> {
    await this.enter('withdrawResume');
    return withdrawResumeWith(this.changeOf(releaseId), undo, this.log.iso());
  }

  async recordTargetSetGathered(releaseId: string, gathered: TargetSetGathered): Promise<Changed<Release>> {
    await this.enter('recordTargetSetGathered');
    return recordTargetSetWith(this.changeOf(releaseId), {
      ...gathered,
      at: this.log.iso(gathered.at),
    });
  }

  private changeOf(releaseId: string): HeldReleaseChange {
    return async (decide) => this.changeHeld(releaseId, decide);
  }

  private heldOf(releaseId: string): HeldRelease {
    const release = structuredClone(this.requireRelease(releaseId));
    const holdToken = this.holdTokens.get(releaseId);
    return holdToken ? { release, holdToken } : { release };
  }

  /** One write of a release and its hold token, with a history event when its status changed. */
  private changeHeld(
    releaseId: string,
    decide: (current: HeldRelease) => HeldRelease | undefined,
  ): Changed<HeldRelease> {
    const current = this.heldOf(releaseId);
    const next = decide(current);
    if (!next) return { value: current, changed: false };
    this.releases.set(releaseId, next.release);
    if (next.holdToken) this.holdTokens.set(releaseId, next.holdToken);
    else this.holdTokens.delete(releaseId);
    this.log.wrote();
    if (next.release.status !== current.release.status) {
      this.log.event(withoutSeq(releaseStatusEvent({ release: next.release, statusEventSeq: '' })));
    }
    return { value: structuredClone(next), changed: true };
  }

  async transitionRelease(releaseId: string, transition: ReleaseTransition): Promise<Changed<Release>> {
    await this.enter('transitionRelease');
    const change = this.interleaved;
    this.interleaved = undefined;
    change?.();
    const { to } = transition;
    const from = allowedFrom(
      releaseTransitions,
      releaseStatusesLeadingTo(to),
      transition.from,
      to,
      'release',
    );
    const current = this.requireRelease(releaseId);
    const next = movedRelease(current, { ...transition, from, at: this.log.iso(transition.at) });
    if (!next) return { value: structuredClone(current), changed: false };
    this.releases.set(releaseId, next);
    this.holdTokens.delete(releaseId);
    this.log.wrote();
    this.log.event(withoutSeq(releaseStatusEvent({ release: next, statusEventSeq: '' })));
    return { value: structuredClone(next), changed: true };
  }

  async startWave(releaseId: string, waveNumber: number, start: WaveStart): Promise<Changed<WaveState>> {
    await this.enter('startWave');
    const started = this.waveRecords.start(releaseId, waveNumber, start);
    if (started.changed)
      this.followCurrentWave(releaseId, waveNumber, started.value.startedAt ?? this.log.iso());
    return started;
  }

  async changeWaveHalt(
    releaseId: string,
    waveNumber: number,
    change: WaveHaltChange,
  ): Promise<Changed<WaveState>> {
    await this.enter('changeWaveHalt');
    return this.waveRecords.changeHalt(releaseId, waveNumber, change);
  }

  async recordWaveProgress(
    releaseId: string,
    waveNumber: number,
    observation: WaveObservation,
  ): Promise<Changed<WaveState>> {
    await this.enter('recordWaveProgress');
    return this.waveRecords.recordProgress(releaseId, waveNumber, observation);
  }

  async transitionWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    await this.enter('transitionWave');
    return this.waveRecords.move(releaseId, waveNumber, to, transition);
  }

  async finishWave(
    releaseId: string,
    waveNumber: number,
    to: TerminalWaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    await this.enter('finishWave');
    return this.waveRecords.move(releaseId, waveNumber, to, transition);
  }

  async markRemainingWavesCanceled(
    releaseId: string,
    transition: Omit<WaveTransition, 'from'> = {},
  ): Promise<number[]> {
    await this.enter('markRemainingWavesCanceled');
    const release = this.requireRelease(releaseId);
    const canceled: number[] = [];
    release.waves.forEach((_, i) => {
      if (this.waveRecords.stored(releaseId, i + 1).status !== 'PENDING') return;
      if (this.waveRecords.move(releaseId, i + 1, 'CANCELED', { ...transition, from: ['PENDING'] }).changed) {
        canceled.push(i + 1);
      }
    });
    return canceled;
  }

  async storeTaskToken(
    releaseId: string,
    waveNumber: number,
    token: { token: string; purpose: TaskTokenPurpose; at?: Instant },
  ): Promise<WaveState> {
    await this.enter('storeTaskToken');
    return this.waveRecords.storeToken(releaseId, waveNumber, token);
  }

  async takeTaskToken(
    releaseId: string,
    waveNumber: number,
    purpose?: TaskTokenPurpose,
  ): Promise<TakenTaskToken | undefined> {
    await this.enter('takeTaskToken');
    return this.waveRecords.takeToken(releaseId, waveNumber, purpose);
  }

  async approveGate(
    releaseId: string,
    waveNumber: number,
    approval: Approval,
  ): Promise<TakenTaskToken | undefined> {
    await this.enter('approveGate');
    return this.waveRecords.approveGate(releaseId, waveNumber, approval);
  }

  async openGate(
    releaseId: string,
    waveNumber: number,
    token: { token: string; at?: Instant },
  ): Promise<Approval | undefined> {
    await this.enter('openGate');
    return this.waveRecords.openGate(releaseId, waveNumber, token);
  }

  async withdrawApproval(
    releaseId: string,
    waveNumber: number,
    taken: TakenTaskToken | undefined,
  ): Promise<void> {
    await this.enter('withdrawApproval');
    this.waveRecords.withdrawApproval(releaseId, waveNumber, taken);
  }

  async approvalOf(releaseId: string, waveNumber: number): Promise<Approval | undefined> {
    await this.enter('approvalOf');
    return this.waveRecords.approvalOf(releaseId, waveNumber);
  }

  private newRelease(request: ReleaseRequest, status: ReleaseStatus): Release {
    const at = this.log.iso();
    return {
      ...request,
      status,
      version: 1,
      requestHash: releaseRequestHash(request),
      createdAt: at,
      updatedAt: at,
    };
  }

  private requireRelease(releaseId: string): Release {
    const release = this.releases.get(releaseId);
    if (!release) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    return release;
  }

  /** As the repository: `currentWave` follows the last wave that started, never back, with no history. */
  private followCurrentWave(releaseId: string, waveNumber: number, at: string): void {
    const release = this.releases.get(releaseId);
    if (!release || (release.currentWave ?? 0) >= waveNumber) return;
    this.releases.set(releaseId, {
      ...release,
      currentWave: waveNumber,
      version: release.version + 1,
      updatedAt: at,
    });
    this.log.wrote();
  }
}
