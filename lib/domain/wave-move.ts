/**
 * One rule for moving a wave to another status, applied by the DynamoDB
 * repository and the in-memory store alike: a wave already in the target
 * status is left as it is (a retried move changes nothing), a wave in a
 * status the move does not start from is a ConflictError, and a wave that
 * ends lets go of whatever waited on it, so a late approval finds no token.
 */
import { ConflictError } from './errors.js';
import type { Approval, WaveState } from './release.js';
import { isTerminalWaveStatus, type WaveStatus } from './statuses.js';

/**
 * A wave as a store keeps it: its state, and what the state never shows:
 * the task token, and the approval given at its gate (approval-gate.ts).
 */
export type HeldWave = WaveState & { taskToken?: string; approval?: Approval };

/** The status change itself: the new status, the one it left, the next version, and when. */
export function waveStatusChanged<W extends WaveState>(current: W, to: WaveStatus, at: string): W {
  return {
    ...current,
    status: to,
    previousStatus: current.status,
    version: current.version + 1,
    updatedAt: at,
    statusChangedAt: at,
    // A change names its own actor (movedWave); the workflow's moves name none.
    statusActor: undefined,
  };
}

/** A move asked of a wave: its target, the statuses it may start from (already checked against the table), when and why. */
export interface WaveMove {
  readonly to: WaveStatus;
  readonly from: readonly WaveStatus[];
  readonly at: string;
  readonly reason?: string;
  /** The caller who asked for the move; a move without one (the workflow's) clears the stored actor. */
  readonly actor?: string | undefined;
}

/**
 * The wave after `move`, or undefined when it is already in `move.to`.
 * @throws ConflictError when the wave is in a status the move does not start from
 */
export function movedWave<W extends HeldWave>(current: W, move: WaveMove): W | undefined {
  const { to, from, at, reason, actor } = move;
  if (current.status === to) return undefined;
  if (!from.includes(current.status)) {
    throw new ConflictError(
      `Wave ${current.waveNumber} of release ${current.releaseId} is ${current.status}; it cannot move to ${to}.`,
      current.releaseId,
    );
  }
  const next: W = { ...waveStatusChanged(current, to, at), reason, statusActor: actor };
  if (isTerminalWaveStatus(to)) {
    next.finishedAt = at;
    next.taskToken = undefined;
    next.waitingFor = undefined;
    next.waitingSince = undefined;
  }
  return next;
}
