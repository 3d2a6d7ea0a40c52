/**
 * The wave half of the release repository: each change reads the wave item,
 * decides against the domain's rules, and writes it back on the condition
 * that its version did not change meanwhile (see release-repository.ts).
 */
import { approvedGate, openedGate, withdrawnApproval } from '../domain/approval-gate.js';
import { ConflictError } from '../domain/errors.js';
import type { Approval } from '../domain/release.js';
import { pendingWave, type TaskTokenPurpose, type WaveState } from '../domain/release.js';
import type {
  Changed,
  TakenTaskToken,
  WaveObservation,
  WaveStart,
  WaveTransition,
} from '../domain/release-store.js';
import { type WaveStatus, waveStatusesLeadingTo, waveTransitions } from '../domain/statuses.js';
import type { Instant } from '../domain/wave-evaluation.js';
import { type WaveHaltChange, withWaveHalt } from '../domain/wave-halt.js';
import { movedWave } from '../domain/wave-move.js';
import { observedWave } from '../domain/wave-observation.js';
import { takenTaskToken, withTaskToken } from '../domain/wave-task-token.js';
import { waveKey } from './release-repository-items.js';
import {
  allowedFrom,
  checkedWave,
  checkWaveNumber,
  MAX_ATTEMPTS,
  publicWave,
  statusChange,
  toWaveItem,
  type WaveItem,
  waveProgressEvent,
  waveStatusEvent,
  withProgressEventSeq,
  withStatusEventSeq,
} from './release-repository-records.js';
import type { ReleaseTable } from './release-repository-table.js';

const REPAIR_STATUS_EVENT = true;

export class WaveRecords {
  constructor(private readonly table: ReleaseTable) {}

  async getWave(releaseId: string, waveNumber: number): Promise<WaveState> {
    return publicWave(await this.readWave(releaseId, waveNumber));
  }

  async startWave(releaseId: string, waveNumber: number, start: WaveStart): Promise<Changed<WaveState>> {
    return this.changeWave(releaseId, waveNumber, REPAIR_STATUS_EVENT, (current) => {
      if (current.status !== 'PENDING') {
        if (current.jobId === start.jobId) return 'unchanged';
        throw new ConflictError(
          `Wave ${waveNumber} of release ${releaseId} is ${current.status} with job ${current.jobId ?? '(none)'}.`,
          releaseId,
        );
      }
      const at = this.table.iso(start.at);
      return {
        next: {
          ...statusChange(current, 'IN_PROGRESS', at),
          jobId: start.jobId,
          thingGroupName: start.thingGroupName,
          expectedThings: start.expectedThings,
          startedAt: at,
        },
        event: 'status',
      };
    });
  }

  async recordWaveProgress(
    releaseId: string,
    waveNumber: number,
    observation: WaveObservation,
  ): Promise<Changed<WaveState>> {
    const polledAt = this.table.iso(observation.polledAt);
    // A poll that changes nothing writes nothing, not even a history repair.
    return this.changeWave(releaseId, waveNumber, !REPAIR_STATUS_EVENT, (current) => {
      const next = observedWave(current, observation, polledAt, { releaseId, waveNumber });
      return next === undefined ? 'unchanged' : { next: withProgressEventSeq(next), event: 'progress' };
    });
  }

  async changeWaveHalt(
    releaseId: string,
    waveNumber: number,
    change: WaveHaltChange,
  ): Promise<Changed<WaveState>> {
    return this.changeWave(releaseId, waveNumber, !REPAIR_STATUS_EVENT, (current) => {
      const next = withWaveHalt(publicWave(current), change);
      return next ? { next: { ...current, ...next } } : 'unchanged';
    });
  }

  async transitionWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    const from = allowedFrom(waveTransitions, waveStatusesLeadingTo(to), transition.from, to, 'wave');
    return this.changeWave(releaseId, waveNumber, REPAIR_STATUS_EVENT, (current) => {
      const at = this.table.iso(transition.at);
      const next = movedWave(current, { to, from, at, reason: transition.reason, actor: transition.actor });
      return next ? { next: withStatusEventSeq(next), event: 'status' } : 'unchanged';
    });
  }

  async storeTaskToken(
    releaseId: string,
    waveNumber: number,
    token: { token: string; purpose: TaskTokenPurpose; at?: Instant },
  ): Promise<WaveState> {
    const at = this.table.iso(token.at);
    const result = await this.changeWave(releaseId, waveNumber, !REPAIR_STATUS_EVENT, (current) => ({
      next: withTaskToken(current, token, at),
    }));
    return result.value;
  }

  async takeTaskToken(
    releaseId: string,
    waveNumber: number,
    purpose?: TaskTokenPurpose,
  ): Promise<TakenTaskToken | undefined> {
    let taken: TakenTaskToken | undefined;
    await this.changeWave(releaseId, waveNumber, !REPAIR_STATUS_EVENT, (current) => {
      const result = takenTaskToken(current, purpose, this.table.iso());
      taken = result?.taken;
      return result ? { next: result.next } : 'unchanged';
    });
    return taken;
  }

  async approveGate(
    releaseId: string,
    waveNumber: number,
    approval: Approval,
  ): Promise<TakenTaskToken | undefined> {
    let taken: TakenTaskToken | undefined;
    await this.changeWave(releaseId, waveNumber, !REPAIR_STATUS_EVENT, (current) => {
      const result = approvedGate(current, approval, this.table.iso());
      taken = result.taken;
      return { next: result.next };
    });
    return taken;
  }

  async openGate(
    releaseId: string,
    waveNumber: number,
    token: { token: string; at?: Instant },
  ): Promise<Approval | undefined> {
    let approval: Approval | undefined;
    await this.changeWave(releaseId, waveNumber, !REPAIR_STATUS_EVENT, (current) => {
      const opened = openedGate(current, token.token, this.table.iso(token.at));
      if ('approval' in opened) {
        approval = opened.approval;
        return 'unchanged';
      }
      return { next: opened.next };
    });
    return approval;
  }

  async withdrawApproval(
    releaseId: string,
    waveNumber: number,
    taken: TakenTaskToken | undefined,
  ): Promise<void> {
    await this.changeWave(releaseId, waveNumber, !REPAIR_STATUS_EVENT, (current) => {
      const next = withdrawnApproval(current, taken, this.table.iso());
      return next ? { next } : 'unchanged';
    });
  }

  async approvalOf(releaseId: string, waveNumber: number): Promise<Approval | undefined> {
    return (await this.readWave(releaseId, waveNumber)).approval;
  }

  private async readWave(releaseId: string, waveNumber: number): Promise<WaveItem> {
    checkWaveNumber(waveNumber);
    const item = await this.table.get(releaseId, waveKey(releaseId, waveNumber));
    return item ? toWaveItem(item) : pendingWave(releaseId, waveNumber);
  }

  /**
   * Read-decide-write loop for one wave. `decide` sees the stored wave and
   * returns the next item (with the history event to write, if any), or
   * `'unchanged'` when the change is already there or not to be made. With
   * `repairStatusEvent`, an unchanged wave (a retried transition) writes the
   * history event of its last status change again, in case the first
   * attempt stopped between the two writes; the put is idempotent.
   */
  private async changeWave(
    releaseId: string,
    waveNumber: number,
    repairStatusEvent: boolean,
    decide: (current: WaveItem) => 'unchanged' | { next: WaveItem; event?: 'status' | 'progress' },
  ): Promise<Changed<WaveState>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.readWave(releaseId, waveNumber);
      const decision = decide(current);
      if (decision === 'unchanged') {
        // A retried transition finds its change stored; its event may not be.
        if (repairStatusEvent && current.statusEventSeq)
          await this.table.putEventsOfStoredChange([waveStatusEvent(current)]);
        return { value: publicWave(current), changed: false };
      }
      const { next, event } = decision;
      // The event this change replaces on the item, in case its writer stopped before writing it.
      if (event === 'status' && current.statusEventSeq) await this.table.putEvent(waveStatusEvent(current));
      if (event === 'progress' && current.progressEventSeq)
        await this.table.putEvent(waveProgressEvent(current));
      if (
        await this.table.putIfVersion(
          releaseId,
          { ...waveKey(releaseId, waveNumber), ...checkedWave(next) },
          current.version,
        )
      ) {
        if (event === 'status') await this.table.putEventsOfStoredChange([waveStatusEvent(next)]);
        if (event === 'progress') await this.table.putEventsOfStoredChange([waveProgressEvent(next)]);
        return { value: publicWave(next), changed: true };
      }
    }
    throw new ConflictError(
      `Wave ${waveNumber} of release ${releaseId} kept changing; try again.`,
      releaseId,
    );
  }
}
