/**
 * The wave half of the in-memory release store, as WaveRecords is the wave
 * half of the repository: waves that never changed are PENDING without an
 * item, a move follows the domain's rule ({@link movedWave}), an
 * observation the domain's ({@link observedWave}), and a task token is
 * taken by one caller only.
 */
import {
  allowedFrom,
  checkWaveNumber,
  waveProgressEvent,
  waveStatusEvent,
} from '../../lib/adapters/release-repository-records.js';
import { approvedGate, openedGate, withdrawnApproval } from '../../lib/domain/approval-gate.js';
import { ConflictError } from '../../lib/domain/errors.js';
import {
  type Approval,
  pendingWave,
  type TaskTokenPurpose,
  type WaveState,
} from '../../lib/domain/release.js';
import type {
  Changed,
  TakenTaskToken,
  WaveObservation,
  WaveStart,
  WaveTransition,
} from '../../lib/domain/release-store.js';
import { type WaveStatus, waveStatusesLeadingTo, waveTransitions } from '../../lib/domain/statuses.js';
import type { Instant } from '../../lib/domain/wave-evaluation.js';
import { type WaveHaltChange, withWaveHalt } from '../../lib/domain/wave-halt.js';
import { type HeldWave, movedWave, waveStatusChanged } from '../../lib/domain/wave-move.js';
import { observedWave } from '../../lib/domain/wave-observation.js';
import { takenTaskToken, withTaskToken } from '../../lib/domain/wave-task-token.js';
import { type MemoryReleaseLog, withoutSeq } from './memory-release-log.js';

/** A wave as stored: its state plus the task token the state never shows. */
export type StoredWave = HeldWave;

export class MemoryWaveRecords {
  /** Waves that changed, by `<releaseId>#<waveNumber>`; the others are PENDING. */
  readonly items = new Map<string, StoredWave>();

  constructor(private readonly log: MemoryReleaseLog) {}

  /** The wave as stored (a copy), PENDING when it never changed. */
  stored(releaseId: string, waveNumber: number): StoredWave {
    checkWaveNumber(waveNumber);
    return structuredClone(
      this.items.get(`${releaseId}#${waveNumber}`) ?? pendingWave(releaseId, waveNumber),
    );
  }

  /** The wave as callers see it: without its token. */
  publicWave(releaseId: string, waveNumber: number): WaveState {
    const { taskToken: _secret, approval: _approval, ...wave } = this.stored(releaseId, waveNumber);
    return wave;
  }

  start(releaseId: string, waveNumber: number, start: WaveStart): Changed<WaveState> {
    const current = this.stored(releaseId, waveNumber);
    if (current.status !== 'PENDING') {
      if (current.jobId === start.jobId)
        return { value: this.publicWave(releaseId, waveNumber), changed: false };
      throw new ConflictError(
        `Wave ${waveNumber} of release ${releaseId} is ${current.status} with job ${current.jobId ?? '(none)'}.`,
        releaseId,
      );
    }
    const at = this.log.iso(start.at);
    return this.put(
      {
        ...waveStatusChanged(current, 'IN_PROGRESS', at),
        jobId: start.jobId,
        ...(start.thingGroupName !== undefined && { thingGroupName: start.thingGroupName }),
        ...(start.expectedThings !== undefined && { expectedThings: start.expectedThings }),
        startedAt: at,
      },
      'status',
    );
  }

  recordProgress(releaseId: string, waveNumber: number, observation: WaveObservation): Changed<WaveState> {
    const polledAt = this.log.iso(observation.polledAt);
    const current = this.stored(releaseId, waveNumber);
    const next = observedWave(current, observation, polledAt, { releaseId, waveNumber });
    if (next === undefined) return { value: this.publicWave(releaseId, waveNumber), changed: false };
    return this.put(next, 'progress');
  }

  /** A halt recorded, or the wave going on after it, by the domain's rule. */
  changeHalt(releaseId: string, waveNumber: number, change: WaveHaltChange): Changed<WaveState> {
    const current = this.stored(releaseId, waveNumber);
    const next = withWaveHalt(this.publicWave(releaseId, waveNumber), change);
    if (next === undefined) return { value: this.publicWave(releaseId, waveNumber), changed: false };
    return this.put({ ...current, ...next });
  }

  /** A status move, by the domain's rule. */
  move(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    transition: WaveTransition,
  ): Changed<WaveState> {
    const from = allowedFrom(waveTransitions, waveStatusesLeadingTo(to), transition.from, to, 'wave');
    const at = this.log.iso(transition.at);
    const next = movedWave(this.stored(releaseId, waveNumber), {
      to,
      from,
      at,
      reason: transition.reason,
      actor: transition.actor,
    });
    if (next === undefined) return { value: this.publicWave(releaseId, waveNumber), changed: false };
    return this.put(next, 'status');
  }

  storeToken(
    releaseId: string,
    waveNumber: number,
    token: { token: string; purpose: TaskTokenPurpose; at?: Instant },
  ): WaveState {
    return this.put(withTaskToken(this.stored(releaseId, waveNumber), token, this.log.iso(token.at))).value;
  }

  approveGate(releaseId: string, waveNumber: number, approval: Approval): TakenTaskToken | undefined {
    const { next, taken } = approvedGate(this.stored(releaseId, waveNumber), approval, this.log.iso());
    this.put(next);
    return taken;
  }

  openGate(
    releaseId: string,
    waveNumber: number,
    token: { token: string; at?: Instant },
  ): Approval | undefined {
    const opened = openedGate(this.stored(releaseId, waveNumber), token.token, this.log.iso(token.at));
    if ('approval' in opened) return opened.approval;
    this.put(opened.next);
    return undefined;
  }

  withdrawApproval(releaseId: string, waveNumber: number, taken: TakenTaskToken | undefined): void {
    const next = withdrawnApproval(this.stored(releaseId, waveNumber), taken, this.log.iso());
    if (next) this.put(next);
  }

  approvalOf(releaseId: string, waveNumber: number): Approval | undefined {
    return this.stored(releaseId, waveNumber).approval;
  }

  takeToken(releaseId: string, waveNumber: number, purpose?: TaskTokenPurpose): TakenTaskToken | undefined {
    const result = takenTaskToken(this.stored(releaseId, waveNumber), purpose, this.log.iso());
    if (result) this.put(result.next);
    return result?.taken;
  }

  /** Writes the wave, with the history event of its change, as the repository does. */
  private put(next: StoredWave, event?: 'status' | 'progress'): Changed<WaveState> {
    this.items.set(`${next.releaseId}#${next.waveNumber}`, structuredClone(next));
    this.log.wrote();
    // The repository's own history events; the log gives them its seq.
    if (event === 'status') this.log.event(withoutSeq(waveStatusEvent(next)));
    if (event === 'progress') this.log.event(withoutSeq(waveProgressEvent(next)));
    return { value: this.publicWave(next.releaseId, next.waveNumber), changed: true };
  }
}
