/**
 * A {@link ReleaseStore} in memory for unit tests, with the rules of the
 * DynamoDB `ReleaseRepository`: a change already in place (a retry) is
 * `changed: false` and writes nothing, a move the stored state forbids is a
 * ConflictError, history events are written only with a change, and a task
 * token is taken by one caller only. Each call runs atomically after one
 * awaited `enter` hook, so concurrent callers interleave between calls as
 * they would between network round trips.
 */

import { allowedFrom, checkWaveNumber } from '../../lib/adapters/release-repository-records.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/domain/errors.js';
import {
  type HistoryEvent,
  pendingWave,
  type Release,
  type ReleaseWithWaves,
  type TaskTokenPurpose,
  type WaveState,
} from '../../lib/domain/release.js';
import {
  parseReleaseRequest,
  type ReleaseRequest,
  type ReleaseRequestInput,
  releaseRequestHash,
} from '../../lib/domain/release-request.js';
import type {
  Changed,
  Page,
  PageRequest,
  ReleaseStore,
  ReleaseTransition,
  TakenTaskToken,
  TerminalWaveStatus,
  WaveObservation,
  WaveStart,
  WaveTransition,
} from '../../lib/domain/release-store.js';
import {
  isTerminalWaveStatus,
  type ReleaseStatus,
  releaseStatusesLeadingTo,
  releaseTransitions,
  type WaveStatus,
  waveStatusesLeadingTo,
  waveTransitions,
} from '../../lib/domain/statuses.js';
import { type Instant, toEpochMs } from '../../lib/domain/wave-evaluation.js';
import { observedWave } from '../../lib/domain/wave-observation.js';

/** The name of a {@link ReleaseStore} operation, as passed to {@link MemoryReleaseStore.enter}. */
export type ReleaseStoreOperation = keyof ReleaseStore;

/** A wave as stored: its state plus the task token the state never shows. */
export type StoredWave = WaveState & { taskToken?: string };

/** A {@link ReleaseStore} in memory, with the repository's rules. */
export class MemoryReleaseStore implements ReleaseStore {
  readonly releases = new Map<string, Release>();
  /** Waves that changed, by `<releaseId>#<waveNumber>`; the others are PENDING. */
  readonly waves = new Map<string, StoredWave>();
  readonly history: HistoryEvent[] = [];
  /** Writes made (not counting reads or unchanged retries). */
  writes = 0;
  private seq = 0;
  /** Runs once, at the start of the next release transition: a concurrent writer getting in first. */
  private interleaved: (() => void) | undefined;

  /** @param now the clock for changes that give no `at` */
  constructor(private readonly now: () => Instant) {}

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
    const at = this.iso();
    const release: Release = {
      ...request,
      status,
      version: 1,
      requestHash: releaseRequestHash(request),
      createdAt: at,
      updatedAt: at,
    };
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
    return this.stored(releaseId, waveNumber).taskToken;
  }

  async createRelease(request: ReleaseRequest): Promise<Changed<Release>> {
    await this.enter('createRelease');
    const requestHash = releaseRequestHash(request);
    const existing = this.releases.get(request.releaseId);
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new ConflictError(
          `Release ${request.releaseId} already exists with a different request.`,
          request.releaseId,
        );
      }
      return { value: structuredClone(existing), changed: false };
    }
    const at = this.iso();
    const release: Release = {
      ...request,
      status: 'PENDING',
      version: 1,
      requestHash,
      createdAt: at,
      updatedAt: at,
    };
    this.releases.set(release.releaseId, release);
    this.writes++;
    this.event({ releaseId: release.releaseId, type: 'RELEASE_CREATED', at, to: 'PENDING' });
    return { value: structuredClone(release), changed: true };
  }

  async getRelease(releaseId: string): Promise<ReleaseWithWaves> {
    await this.enter('getRelease');
    const release = this.requireRelease(releaseId);
    const waves = release.waves.map((_, i) => this.publicWave(releaseId, i + 1));
    return structuredClone({ release, waves });
  }

  async getWave(releaseId: string, waveNumber: number): Promise<WaveState> {
    await this.enter('getWave');
    return this.publicWave(releaseId, waveNumber);
  }

  async listReleases(request: PageRequest & { status?: ReleaseStatus } = {}): Promise<Page<Release>> {
    await this.enter('listReleases');
    const all = [...this.releases.values()]
      .filter((r) => !request.status || r.status === request.status)
      .sort((a, b) => `${b.createdAt}#${b.releaseId}`.localeCompare(`${a.createdAt}#${a.releaseId}`));
    return this.page(all, request, 25, 100, request.status ?? '');
  }

  async listHistory(releaseId: string, request: PageRequest = {}): Promise<Page<HistoryEvent>> {
    await this.enter('listHistory');
    this.requireRelease(releaseId);
    const all = this.history.filter((e) => e.releaseId === releaseId);
    return this.page(all, request, 100, 500, `history:${releaseId}`);
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
    if (current.status === to) return { value: structuredClone(current), changed: false };
    if (!from.includes(current.status)) {
      throw new ConflictError(
        `Release ${releaseId} is ${current.status}; it cannot move to ${to}.`,
        releaseId,
      );
    }
    const at = this.iso(transition.at);
    const next: Release = {
      ...current,
      status: to,
      previousStatus: current.status,
      version: current.version + 1,
      updatedAt: at,
      statusReason: transition.reason,
      currentWave: transition.currentWave ?? current.currentWave,
      executionArn: transition.executionArn ?? current.executionArn,
    };
    this.releases.set(releaseId, next);
    this.writes++;
    this.event({
      releaseId,
      type: 'RELEASE_STATUS_CHANGED',
      at,
      from: current.status,
      to,
      reason: transition.reason,
    });
    return { value: structuredClone(next), changed: true };
  }

  async startWave(releaseId: string, waveNumber: number, start: WaveStart): Promise<Changed<WaveState>> {
    await this.enter('startWave');
    const current = this.stored(releaseId, waveNumber);
    if (current.status !== 'PENDING') {
      if (current.jobId === start.jobId)
        return { value: this.publicWave(releaseId, waveNumber), changed: false };
      throw new ConflictError(
        `Wave ${waveNumber} of release ${releaseId} is ${current.status} with job ${current.jobId ?? '(none)'}.`,
        releaseId,
      );
    }
    const at = this.iso(start.at);
    const started = this.put(
      {
        ...this.statusChange(current, 'IN_PROGRESS', at),
        jobId: start.jobId,
        ...(start.thingGroupName !== undefined && { thingGroupName: start.thingGroupName }),
        ...(start.expectedThings !== undefined && { expectedThings: start.expectedThings }),
        startedAt: at,
      },
      'status',
    );
    this.followCurrentWave(releaseId, waveNumber, at);
    return started;
  }

  async recordWaveProgress(
    releaseId: string,
    waveNumber: number,
    observation: WaveObservation,
  ): Promise<Changed<WaveState>> {
    await this.enter('recordWaveProgress');
    const polledAt = this.iso(observation.polledAt);
    const current = this.stored(releaseId, waveNumber);
    const next = observedWave(current, observation, polledAt, { releaseId, waveNumber });
    if (next === undefined) return { value: this.publicWave(releaseId, waveNumber), changed: false };
    return this.put(next, 'progress');
  }

  async transitionWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    await this.enter('transitionWave');
    return this.moveWave(releaseId, waveNumber, to, transition);
  }

  async finishWave(
    releaseId: string,
    waveNumber: number,
    to: TerminalWaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    await this.enter('finishWave');
    return this.moveWave(releaseId, waveNumber, to, transition);
  }

  async markRemainingWavesCanceled(
    releaseId: string,
    transition: Omit<WaveTransition, 'from'> = {},
  ): Promise<number[]> {
    await this.enter('markRemainingWavesCanceled');
    const release = this.requireRelease(releaseId);
    const canceled: number[] = [];
    release.waves.forEach((_, i) => {
      if (this.stored(releaseId, i + 1).status !== 'PENDING') return;
      if (this.moveWave(releaseId, i + 1, 'CANCELED', { ...transition, from: ['PENDING'] }).changed) {
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
    const current = this.stored(releaseId, waveNumber);
    const at = this.iso(token.at);
    const next: StoredWave = {
      ...current,
      version: current.version + 1,
      updatedAt: at,
      taskToken: token.token,
      waitingFor: token.purpose,
      waitingSince: at,
    };
    return this.put(next).value;
  }

  async takeTaskToken(
    releaseId: string,
    waveNumber: number,
    purpose?: TaskTokenPurpose,
  ): Promise<TakenTaskToken | undefined> {
    await this.enter('takeTaskToken');
    const current = this.stored(releaseId, waveNumber);
    const { taskToken, waitingFor, waitingSince, ...rest } = current;
    if (!taskToken || !waitingFor || !waitingSince) return undefined;
    if (purpose !== undefined && waitingFor !== purpose) return undefined;
    this.put({ ...rest, version: current.version + 1, updatedAt: this.iso() });
    return { token: taskToken, purpose: waitingFor, storedAt: waitingSince };
  }

  private iso(at?: Instant): string {
    return new Date(toEpochMs(at ?? this.now())).toISOString();
  }

  private event(event: Omit<HistoryEvent, 'seq'>): void {
    this.history.push({ ...event, seq: String(++this.seq).padStart(8, '0') });
  }

  private requireRelease(releaseId: string): Release {
    const release = this.releases.get(releaseId);
    if (!release) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    return release;
  }

  private stored(releaseId: string, waveNumber: number): StoredWave {
    checkWaveNumber(waveNumber);
    return structuredClone(
      this.waves.get(`${releaseId}#${waveNumber}`) ?? pendingWave(releaseId, waveNumber),
    );
  }

  private publicWave(releaseId: string, waveNumber: number): WaveState {
    const { taskToken: _secret, ...wave } = this.stored(releaseId, waveNumber);
    return wave;
  }

  private statusChange(current: StoredWave, to: WaveStatus, at: string): StoredWave {
    return {
      ...current,
      status: to,
      previousStatus: current.status,
      version: current.version + 1,
      updatedAt: at,
      statusChangedAt: at,
    };
  }

  /** A wave move without the `enter` hook, so composite operations count as one call. */
  private moveWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    t: WaveTransition,
  ): Changed<WaveState> {
    const from = allowedFrom(waveTransitions, waveStatusesLeadingTo(to), t.from, to, 'wave');
    const current = this.stored(releaseId, waveNumber);
    if (current.status === to) return { value: this.publicWave(releaseId, waveNumber), changed: false };
    if (!from.includes(current.status)) {
      throw new ConflictError(
        `Wave ${waveNumber} of release ${releaseId} is ${current.status}; it cannot move to ${to}.`,
        releaseId,
      );
    }
    const at = this.iso(t.at);
    const next: StoredWave = { ...this.statusChange(current, to, at), reason: t.reason };
    if (isTerminalWaveStatus(to)) {
      // Nothing waits on a finished wave: a late approval finds no token.
      next.finishedAt = at;
      delete next.taskToken;
      delete next.waitingFor;
      delete next.waitingSince;
    }
    return this.put(next, 'status');
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
    this.writes++;
  }

  private put(next: StoredWave, event?: 'status' | 'progress'): Changed<WaveState> {
    this.waves.set(`${next.releaseId}#${next.waveNumber}`, structuredClone(next));
    this.writes++;
    const base = { releaseId: next.releaseId, waveNumber: next.waveNumber, jobId: next.jobId };
    if (event === 'status') {
      const at = next.statusChangedAt ?? this.iso();
      this.event({
        ...base,
        type: 'WAVE_STATUS_CHANGED',
        at,
        from: next.previousStatus,
        to: next.status,
        reason: next.reason,
      });
    }
    if (event === 'progress') {
      this.event({
        ...base,
        type: 'WAVE_PROGRESS',
        at: next.lastPolledAt ?? this.iso(),
        counts: next.counts,
        jobStatus: next.jobStatus,
        succeededPercent: next.succeededPercent,
        failedPercent: next.failedPercent,
      });
    }
    return { value: this.publicWave(next.releaseId, next.waveNumber), changed: true };
  }

  /** One page of `all`; the token is tied to `listing`, as the repository refuses a token from another listing. */
  private page<T>(all: T[], request: PageRequest, fallback: number, max: number, listing: string): Page<T> {
    const limit = request.limit ?? fallback;
    if (!Number.isInteger(limit) || limit < 1 || limit > max) {
      throw new ValidationError('The limit is invalid.', [
        { path: 'limit', message: `must be from 1 to ${max}` },
      ]);
    }
    let start = 0;
    if (request.nextToken) {
      const [tokenListing, offset] = Buffer.from(request.nextToken, 'base64url').toString().split('\n');
      start = Number(offset);
      if (tokenListing !== listing || !Number.isInteger(start) || start < 0) {
        throw new ValidationError('The nextToken is invalid.', [
          { path: 'nextToken', message: 'is not a token of this listing' },
        ]);
      }
    }
    const end = start + limit;
    const nextToken = end < all.length ? Buffer.from(`${listing}\n${end}`).toString('base64url') : undefined;
    return { items: structuredClone(all.slice(start, end)), ...(nextToken && { nextToken }) };
  }
}
