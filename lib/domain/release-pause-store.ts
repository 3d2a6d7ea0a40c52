/**
 * The store side of pausing (release-pause.ts), written once for the
 * DynamoDB repository and the in-memory store: each takes the store's own
 * one-write change of a release and its hold token, and gives the answer
 * the {@link ReleaseStore} port promises.
 */
import { ConflictError } from './errors.js';
import type { Release } from './release.js';
import {
  type HeldRelease,
  heldRelease,
  type PauseAction,
  type PauseHalt,
  pauseRequested,
  resumedRelease,
  withdrawnResume,
} from './release-pause.js';
import type { Changed, HoldResult, ResumeResult, ResumeUndo } from './release-store.js';

/** A store's read-decide-write of one release: `decide` returns what to store, or undefined for no change. */
export type HeldReleaseChange = (
  decide: (current: HeldRelease) => HeldRelease | undefined,
) => Promise<Changed<HeldRelease>>;

/** {@link ReleaseStore.requestPause} over `change`, `action.at` already on the store's clock. */
export async function requestPauseWith(
  change: HeldReleaseChange,
  action: PauseAction,
  halt?: PauseHalt,
): Promise<Changed<Release>> {
  const { value, changed } = await change((current) => pauseRequested(current, action, halt));
  return { value: value.release, changed };
}

/** {@link ReleaseStore.holdRelease} over `change`. */
export async function holdReleaseWith(
  change: HeldReleaseChange,
  hold: { token: string; where: string; at: string },
): Promise<HoldResult> {
  let result = { held: false, moved: false };
  const { value } = await change((current) => {
    const outcome = heldRelease(current, hold.token, hold.at, hold.where);
    if (!outcome.held) return undefined;
    result = { held: true, moved: outcome.moved };
    return outcome.next;
  });
  return { release: value.release, ...result };
}

/** {@link ReleaseStore.resumeRelease} over `change`. */
export async function resumeReleaseWith(
  change: HeldReleaseChange,
  action: PauseAction,
): Promise<ResumeResult> {
  let result: ResumeResult | undefined;
  await change((current) => {
    const resumed = resumedRelease(current, action);
    result = {
      release: resumed.next.release,
      wasHeld: resumed.wasHeld,
      ...(resumed.taken && { taken: resumed.taken }),
      undo: { before: current, resumedVersion: resumed.next.release.version },
    };
    return resumed.next;
  });
  if (!result) throw new ConflictError('The release could not be resumed.');
  return result;
}

/** {@link ReleaseStore.withdrawResume} over `change`. */
export async function withdrawResumeWith(
  change: HeldReleaseChange,
  undo: ResumeUndo,
  at: string,
): Promise<void> {
  await change((current) => withdrawnResume(current, undo.before, undo.resumedVersion, at));
}
