/**
 * The pause half of the release repository: asking for a pause, the
 * workflow's hold and the resume, each one version-checked write of the
 * release item (rules in lib/domain/release-pause.ts). The hold's task
 * token lives on the item beside the release and is never read back into
 * it; any other write of the release (a cancel) drops it.
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Release } from '../domain/release.js';
import type { HeldRelease, PauseAction, PauseHalt } from '../domain/release-pause.js';
import {
  type HeldReleaseChange,
  holdReleaseWith,
  requestPauseWith,
  resumeReleaseWith,
  withdrawResumeWith,
} from '../domain/release-pause-store.js';
import type { Changed, HoldResult, ResumeResult, ResumeUndo } from '../domain/release-store.js';
import type { Instant } from '../domain/wave-evaluation.js';
import { eventSeq, RELEASE_EVENT_SOURCE, releaseItem, releaseKey } from './release-repository-items.js';
import {
  checkedRelease,
  knownReleaseStatusEvents,
  MAX_ATTEMPTS,
  type ReleaseItem,
  releaseStatusEvent,
  toReleaseItem,
} from './release-repository-records.js';
import type { ReleaseTable } from './release-repository-table.js';

export class PauseRecords {
  constructor(private readonly table: ReleaseTable) {}

  requestPause(releaseId: string, action: PauseAction, halt?: PauseHalt): Promise<Changed<Release>> {
    return requestPauseWith(this.changeOf(releaseId), { ...action, at: this.table.iso(action.at) }, halt);
  }

  holdRelease(releaseId: string, hold: { token: string; where: string; at?: Instant }): Promise<HoldResult> {
    return holdReleaseWith(this.changeOf(releaseId), { ...hold, at: this.table.iso(hold.at) });
  }

  resumeRelease(releaseId: string, action: PauseAction): Promise<ResumeResult> {
    return resumeReleaseWith(this.changeOf(releaseId), { ...action, at: this.table.iso(action.at) });
  }

  withdrawResume(releaseId: string, undo: ResumeUndo): Promise<void> {
    return withdrawResumeWith(this.changeOf(releaseId), undo, this.table.iso());
  }

  /** The one-write change of the release item (and its hold token), for other record changes of the release. */
  changeOf(releaseId: string): HeldReleaseChange {
    return (decide) => this.change(releaseId, decide);
  }

  /**
   * Read-decide-write loop on the release item. `decide` sees the stored
   * release and its hold token and returns what to store, or undefined
   * when nothing is to change. A status change writes its history event as
   * every release move does (the event it replaces first, then its own).
   */
  private async change(
    releaseId: string,
    decide: (current: HeldRelease) => HeldRelease | undefined,
  ): Promise<Changed<HeldRelease>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.read(releaseId);
      const current = { release: stored.release, holdToken: stored.holdToken };
      const next = decide(current);
      if (!next) return { value: current, changed: false };
      const statusChanged = next.release.status !== stored.release.status;
      const event = statusChanged
        ? { seq: eventSeq(RELEASE_EVENT_SOURCE, next.release.version), at: next.release.updatedAt }
        : { seq: stored.statusEventSeq, at: stored.statusEventAt };
      // The event of the status being left, in case its writer stopped before writing it.
      if (statusChanged) for (const e of knownReleaseStatusEvents(stored)) await this.table.putEvent(e);
      const item = {
        ...releaseItem(checkedRelease(next.release), event),
        ...(next.holdToken && { holdToken: next.holdToken }),
      };
      if (await this.table.putIfVersion(releaseId, item, stored.release.version)) {
        if (statusChanged) {
          await this.table.putEventsOfStoredChange([
            releaseStatusEvent({ release: next.release, statusEventSeq: event.seq, statusEventAt: event.at }),
          ]);
        }
        return { value: next, changed: true };
      }
    }
    throw new ConflictError(`Release ${releaseId} kept changing; try again.`, releaseId);
  }

  private async read(releaseId: string): Promise<ReleaseItem> {
    const item = await this.table.get(releaseId, releaseKey(releaseId));
    if (!item) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    return toReleaseItem(item);
  }
}
