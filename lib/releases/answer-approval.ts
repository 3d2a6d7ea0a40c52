/**
 * Answering an approval gate. The workflow's gate keeps its task token on
 * the wave (purpose APPROVAL) and the release waits as WAITING_APPROVAL.
 * Every answer is true to the state it leaves: accepted, and the release
 * moves on once; or refused, and nothing changed.
 *
 * - approve: the approval is recorded on the wave, taking the gate's token,
 *   in one version-checked write (of concurrent answers exactly one gets
 *   there; every other is a 409 that changed nothing). It is then sent with
 *   the token. A gate whose task no longer listens (the local stack
 *   restarted, and its new execution is opening the gate again) finds the
 *   recorded approval when it opens and goes through at once, so the answer
 *   is taken as long as an execution runs the release. If the approval can
 *   be neither delivered nor kept for such a gate (the send failed, or no
 *   execution runs), it is withdrawn and the token put back before the
 *   error is answered. Once it went through, the release moves from
 *   WAITING_APPROVAL to IN_PROGRESS with the comment (the workflow makes
 *   the same move from the same approval, whichever comes first; history
 *   keeps one).
 * - reject: the token is taken, the release moves WAITING_APPROVAL →
 *   CANCELED (remaining waves too), then SendTaskFailure `ApprovalRejected`,
 *   after which the workflow ends by itself; if the task no longer listens,
 *   the execution is stopped.
 */

import { callerActor } from '../domain/actors.js';
import { approvalOutput } from '../domain/approval-gate.js';
import { ConflictError, ForbiddenError } from '../domain/errors.js';
import type { Approval, Release } from '../domain/release.js';
import type { TakenTaskToken } from '../domain/release-store.js';
import { refuseAfterEndTime } from './end-time-guard.js';
import type { ReleaseApiDeps, RequestMeta, SendOutcome } from './ports.js';
import { actionReason, cleanUpCanceledRelease, reportCleanupFailures } from './release-cleanup.js';
import { type ReleaseView, releaseView } from './release-view.js';

export type ApprovalDecision = 'approve' | 'reject';

/** SendTaskFailure's `error` for a rejected gate (what the state machine's Catch sees). */
const APPROVAL_REJECTED_ERROR = 'ApprovalRejected';

export interface AnswerApprovalInput {
  releaseId: string;
  decision: ApprovalDecision;
  comment?: string;
}

type Deps = Pick<ReleaseApiDeps, 'store' | 'executions' | 'jobs' | 'groups'>;

/**
 * The wave whose approval gate is open, and the release.
 * @throws NotFoundError, ConflictError when no gate waits for an answer
 */
async function openGate(deps: Deps, releaseId: string): Promise<{ waveNumber: number; release: Release }> {
  const { release, waves } = await deps.store.getRelease(releaseId);
  if (release.status !== 'WAITING_APPROVAL') {
    throw new ConflictError(
      `Release ${releaseId} is ${release.status}; it is not waiting for approval.`,
      releaseId,
    );
  }
  const gate = waves.find((w) => w.waitingFor === 'APPROVAL');
  if (!gate) {
    throw new ConflictError(
      `Release ${releaseId} has no approval gate open yet; try again shortly.`,
      releaseId,
    );
  }
  return { waveNumber: gate.waveNumber, release };
}

/**
 * A wave whose definition asks for a second person (`approval.distinctFromCreator`)
 * refuses the creator's own approval, before anything is written.
 * @throws ForbiddenError when `approver` created the release
 */
function checkApprover(release: Release, waveNumber: number, approver: string): void {
  if (!release.waves[waveNumber - 1]?.approval?.distinctFromCreator) return;
  // A creator nobody recorded cannot be told apart from the approver: the rule then refuses.
  const creator = release.createdBy;
  if (creator === undefined || creator === approver) {
    throw new ForbiddenError(
      `Wave ${waveNumber} of release ${release.releaseId} must be approved by someone other than its creator (${creator ?? 'unknown'}).`,
      release.releaseId,
    );
  }
}

/** Puts a taken token back so the gate can be answered again; a failure here leaves the first error to report. */
async function restoreGate(deps: Deps, releaseId: string, waveNumber: number, taken: TakenTaskToken) {
  await deps.store
    .storeTaskToken(releaseId, waveNumber, { token: taken.token, purpose: taken.purpose, at: taken.storedAt })
    .catch(() => undefined);
}

/**
 * Approves or rejects the release's open approval gate.
 * @throws NotFoundError, ConflictError (not waiting, answered by another request, gate closed, the release's end time come), ThrottledError, UpstreamError
 */
export async function answerApproval(
  deps: Deps,
  input: AnswerApprovalInput,
  meta: RequestMeta,
): Promise<ReleaseView> {
  const { releaseId, decision, comment } = input;
  const { waveNumber, release } = await openGate(deps, releaseId);
  const approve = decision === 'approve';
  refuseAfterEndTime(release, meta.now(), approve ? 'the approval' : 'the rejection');
  const actor = callerActor(meta.actor);
  const reason = actionReason(
    `${approve ? 'Approved' : 'Rejected'} after wave ${waveNumber}`,
    meta.actor,
    comment,
  );
  if (approve) {
    checkApprover(release, waveNumber, actor);
    const approval: Approval = {
      reason,
      at: new Date(meta.now()).toISOString(),
      actor,
      ...(comment && { comment }),
    };
    await approveGate(deps, releaseId, waveNumber, approval);
    await moveOn(deps, releaseId, { reason, actor, at: meta.now() });
  } else {
    await rejectGate(deps, releaseId, waveNumber, { reason, actor, at: meta.now() }, meta);
  }
  return releaseView(await deps.store.getRelease(releaseId), meta.now());
}

/**
 * Records the approval and sends it through the gate, or, failing that,
 * leaves the gate as it was and throws.
 * @throws ConflictError (answered by another request; no execution to take it), ThrottledError, UpstreamError
 */
async function approveGate(deps: Deps, releaseId: string, waveNumber: number, approval: Approval) {
  const taken = await deps.store.approveGate(releaseId, waveNumber, approval);
  try {
    const outcome = taken
      ? await deps.executions.sendTaskSuccess(taken.token, approvalOutput(approval, waveNumber))
      : 'task-gone';
    // Not delivered: a running execution opens the gate again and finds the approval there.
    if (outcome === 'task-gone' && !(await deps.executions.isRunning(releaseId))) {
      throw new ConflictError(
        `The approval gate after wave ${waveNumber} of release ${releaseId} closed before the answer arrived, and no workflow runs the release.`,
        releaseId,
      );
    }
  } catch (error) {
    // Not taken: the gate as it was, so the same answer can be sent again.
    await deps.store.withdrawApproval(releaseId, waveNumber, taken).catch(() => undefined);
    throw error;
  }
}

/**
 * WAITING_APPROVAL → IN_PROGRESS after the approval went through. The
 * workflow makes the same move from the same approval, so it may come
 * first (`changed: false`), or be the one to make it should this write
 * fail, or move the release further still; a release canceled meanwhile is
 * the cancel's, and this answer a 409.
 */
async function moveOn(
  deps: Deps,
  releaseId: string,
  move: { reason: string; actor: string; at: number },
): Promise<void> {
  try {
    await deps.store.transitionRelease(releaseId, { to: 'IN_PROGRESS', from: ['WAITING_APPROVAL'], ...move });
  } catch (error) {
    // Any other failure leaves the move to the workflow: the approval went through all the same.
    if (!(error instanceof ConflictError)) return;
    // The workflow got there first and went further (the next wave held by a pause, the release
    // finished): the approval took it there. Only a cancel that got in first makes this a 409.
    const { release } = await deps.store.getRelease(releaseId);
    if (release.status === 'CANCELED') throw error;
  }
}

/** Takes the token, cancels the release, fails the gate; stops the execution if the gate no longer listens. */
async function rejectGate(
  deps: Deps,
  releaseId: string,
  waveNumber: number,
  move: { reason: string; actor: string; at: number },
  meta: RequestMeta,
): Promise<void> {
  const taken = await deps.store.takeTaskToken(releaseId, waveNumber, 'APPROVAL');
  if (!taken) {
    throw new ConflictError(
      `The approval gate after wave ${waveNumber} of release ${releaseId} was answered by another request.`,
      releaseId,
    );
  }
  try {
    const { changed } = await deps.store.transitionRelease(releaseId, {
      to: 'CANCELED',
      from: ['WAITING_APPROVAL'],
      ...move,
    });
    if (!changed)
      throw new ConflictError(`Release ${releaseId} changed while it was being answered.`, releaseId);
  } catch (error) {
    // A conflict: the release was canceled meanwhile, and the gate with it.
    if (!(error instanceof ConflictError)) await restoreGate(deps, releaseId, waveNumber, taken);
    throw error;
  }
  let outcome: SendOutcome | 'failed';
  try {
    outcome = await deps.executions.sendTaskFailure(taken.token, {
      error: APPROVAL_REJECTED_ERROR,
      cause: move.reason,
    });
  } catch {
    outcome = 'failed';
  }
  // Delivered: the workflow ends by itself. Otherwise nothing listens any more: stop it.
  reportCleanupFailures(
    meta,
    releaseId,
    await cleanUpCanceledRelease(deps, releaseId, {
      reason: move.reason,
      force: false,
      stopExecution: outcome !== 'delivered',
      at: move.at,
      actor: move.actor,
      ...(meta.warn && { warn: meta.warn }),
    }),
  );
}
