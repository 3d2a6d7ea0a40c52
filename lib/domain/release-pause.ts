/**
 * One rule for pausing and resuming a release, applied by the DynamoDB
 * repository and the in-memory store alike. Each is one write on the
 * release item:
 *
 * - a pause asked for is recorded on the release (`pause`); the release
 *   goes on until the workflow reaches a point where it may hold it (a wave
 *   boundary, a bake), where the hold moves it IN_PROGRESS → PAUSED and
 *   keeps the hold's task token on the item;
 * - a resume drops the pause and, when the release is held, moves it back
 *   to IN_PROGRESS and takes the token (to send the resume with). A hold
 *   opened again after the resume (a new execution after a restart) finds
 *   no pause and goes on at once.
 */
import { ConflictError } from './errors.js';
import type { Release } from './release.js';
import { movedRelease } from './release-move.js';
import { isTerminalReleaseStatus } from './statuses.js';

/** A release as a store keeps it: with the token of the task holding it, never shown. */
export interface HeldRelease {
  readonly release: Release;
  readonly holdToken?: string | undefined;
}

/** Who asks, why, and when. */
export interface PauseAction {
  readonly at: string;
  readonly actor?: string | undefined;
  readonly comment?: string | undefined;
}

/** The running wave job a pause with `haltRollout` stops, as the API found it. */
export interface PauseHalt {
  /** The wave the job runs for: the pause is recorded only while it is the release's current wave. */
  readonly waveNumber: number;
  readonly jobId: string;
}

/** The text of an action for the history: `Paused by <actor>: <comment>`. */
function actionText(what: string, { actor, comment }: PauseAction): string {
  return `${what}${actor ? ` by ${actor}` : ''}${comment ? `: ${comment}` : '.'}`.slice(0, 1000);
}

/**
 * The release with a pause asked for, or undefined when one is asked for or
 * held already (a repeat changes nothing). With `halt`, the pause also
 * records the wave job it stops; a pause asked for without a halt and not
 * held yet takes the halt (the later ask is the stronger one). A release
 * held already has no wave job running: nothing to halt, nothing changes.
 * @throws ConflictError when the release has ended, or its current wave is no longer `halt.waveNumber`
 */
export function pauseRequested(
  { release: current }: HeldRelease,
  action: PauseAction,
  halt?: PauseHalt,
): HeldRelease | undefined {
  if (isTerminalReleaseStatus(current.status)) {
    throw new ConflictError(
      `Release ${current.releaseId} is ${current.status}; only a release that has not ended can be paused.`,
      current.releaseId,
    );
  }
  if (current.pause && (!halt || current.pause.haltRollout || current.status === 'PAUSED')) return undefined;
  if (halt && current.currentWave !== halt.waveNumber) {
    throw new ConflictError(
      `Release ${current.releaseId} moved on to wave ${current.currentWave ?? '(none)'} while wave ${halt.waveNumber} was being halted; ask again.`,
      current.releaseId,
    );
  }
  const halted = halt && { haltRollout: true, haltedJobId: halt.jobId };
  return {
    release: {
      ...current,
      version: current.version + 1,
      updatedAt: action.at,
      pause: current.pause
        ? { ...current.pause, ...halted }
        : {
            requestedAt: action.at,
            ...(action.actor && { requestedBy: action.actor }),
            ...(action.comment && { comment: action.comment }),
            ...halted,
          },
    },
  };
}

/** What a hold finds: `held` (the release is PAUSED with `token`), or `resumed` (no pause asked for any more). */
export type HoldOutcome =
  | { readonly held: true; readonly next: HeldRelease; readonly moved: boolean }
  | { readonly held: false };

/**
 * Holding the release with `token` at `at`, `where` saying at which point
 * (`at the end of wave 2`). A release already PAUSED (a hold opened again
 * after a restart or a timeout) keeps its status and takes the new token.
 * @throws ConflictError when the release is neither IN_PROGRESS nor PAUSED (canceled meanwhile)
 */
export function heldRelease(current: HeldRelease, token: string, at: string, where: string): HoldOutcome {
  const { release } = current;
  if (!release.pause) return { held: false };
  if (release.status === 'PAUSED') {
    return {
      held: true,
      moved: false,
      next: { release: { ...release, version: release.version + 1, updatedAt: at }, holdToken: token },
    };
  }
  const { pause } = release;
  const moved = movedRelease(release, {
    to: 'PAUSED',
    from: ['IN_PROGRESS'],
    at,
    reason: actionText(`Held ${where}, as asked at ${pause.requestedAt}`, {
      at,
      actor: pause.requestedBy,
      comment: pause.comment,
    }),
    actor: pause.requestedBy,
  });
  if (!moved) throw new ConflictError(`Release ${release.releaseId} is PAUSED.`, release.releaseId);
  return {
    held: true,
    moved: true,
    next: { release: { ...moved, pause: { ...pause, heldAt: at } }, holdToken: token },
  };
}

/** What a resume did: the release after it, the hold's token it took, and the record before it (to withdraw it). */
export interface Resumed {
  readonly next: HeldRelease;
  readonly taken?: string;
  /** True when the release was held (PAUSED); false when only a pause asked for was dropped. */
  readonly wasHeld: boolean;
}

/**
 * The release resumed: the pause dropped and, when held, back to
 * IN_PROGRESS with the hold's token taken.
 * @throws ConflictError when no pause is asked for or held
 */
export function resumedRelease(current: HeldRelease, action: PauseAction): Resumed {
  const { release } = current;
  if (!release.pause) {
    throw new ConflictError(
      `Release ${release.releaseId} is ${release.status} and not paused; there is nothing to resume.`,
      release.releaseId,
    );
  }
  if (release.status !== 'PAUSED') {
    // Asked for, not held yet: the pause is withdrawn and the release goes on as it was.
    return {
      wasHeld: false,
      next: { release: { ...release, version: release.version + 1, updatedAt: action.at, pause: undefined } },
    };
  }
  const moved = movedRelease(release, {
    to: 'IN_PROGRESS',
    from: ['PAUSED'],
    at: action.at,
    reason: actionText('Resumed', action),
    actor: action.actor,
  });
  if (!moved) throw new ConflictError(`Release ${release.releaseId} is IN_PROGRESS.`, release.releaseId);
  return {
    wasHeld: true,
    next: { release: { ...moved, pause: undefined } },
    ...(current.holdToken && { taken: current.holdToken }),
  };
}

/**
 * Undoes a resume that could not be delivered: the release as it was
 * (`before`), in a next version; undefined when the release changed since
 * the resume (`resumedVersion`), and the undo is no longer this caller's.
 */
export function withdrawnResume(
  current: HeldRelease,
  before: HeldRelease,
  resumedVersion: number,
  at: string,
): HeldRelease | undefined {
  if (current.release.version !== resumedVersion) return undefined;
  return {
    release: {
      ...before.release,
      version: current.release.version + 1,
      updatedAt: at,
      previousStatus: current.release.status,
    },
    ...(before.holdToken && { holdToken: before.holdToken }),
  };
}

/** What the API sends through the hold when it resumes a release (SendTaskSuccess output, `$.resume` in the workflow). */
export interface ResumeOutput {
  resumed: true;
  resumedAt: string;
  resumedBy?: string;
  comment?: string;
}

/** The resume output for `action`, as recorded at `at`. */
export function resumeOutput(action: PauseAction): ResumeOutput {
  return {
    resumed: true,
    resumedAt: action.at,
    ...(action.actor && { resumedBy: action.actor }),
    ...(action.comment && { comment: action.comment }),
  };
}
