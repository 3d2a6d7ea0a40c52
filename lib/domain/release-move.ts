/**
 * One rule for moving a release to another status, applied by the DynamoDB
 * repository and the in-memory store alike (as `wave-move.ts` is for waves):
 * a release already in the target status is left as it is (a retried move
 * changes nothing), one in a status the move does not start from is a
 * ConflictError, and a move sets the next version, the reason and, when
 * given, the current wave and the execution; a move to an end drops any
 * pause asked for.
 */
import { ConflictError } from './errors.js';
import type { Release } from './release.js';
import { isTerminalReleaseStatus, type ReleaseStatus } from './statuses.js';

/** A move asked of a release: its target, the statuses it may start from (already checked against the table), when and why. */
export interface ReleaseMove {
  readonly to: ReleaseStatus;
  readonly from: readonly ReleaseStatus[];
  readonly at: string;
  readonly reason?: string | undefined;
  /** The caller who asked for the move; a move without one (the workflow's) clears the stored actor. */
  readonly actor?: string | undefined;
  readonly currentWave?: number | undefined;
  readonly executionArn?: string | undefined;
  /** The end behaviour applied when the release ended at its end time. */
  readonly endedAtEndTime?: Release['endedAtEndTime'];
}

/**
 * The release after `move`, or undefined when it is already in `move.to`.
 * @throws ConflictError when the release is in a status the move does not start from
 */
export function movedRelease(current: Release, move: ReleaseMove): Release | undefined {
  const { to, from, at } = move;
  if (current.status === to) return undefined;
  if (!from.includes(current.status)) {
    throw new ConflictError(
      `Release ${current.releaseId} is ${current.status}; it cannot move to ${to}.`,
      current.releaseId,
    );
  }
  return {
    ...current,
    status: to,
    previousStatus: current.status,
    version: current.version + 1,
    updatedAt: at,
    statusReason: move.reason,
    statusActor: move.actor,
    currentWave: move.currentWave ?? current.currentWave,
    executionArn: move.executionArn ?? current.executionArn,
    ...(move.endedAtEndTime && { endedAtEndTime: move.endedAtEndTime }),
    // A release that ended has nothing left to pause or resume.
    pause: isTerminalReleaseStatus(to) ? undefined : current.pause,
  };
}
