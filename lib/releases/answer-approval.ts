/**
 * Answering an approval gate. The workflow's gate stores its task token on
 * the wave (purpose APPROVAL) and the release waits as WAITING_APPROVAL.
 *
 * Taking the token is the decision: it is removed in one version-checked
 * write, so of concurrent answers (approve and reject, two approvals)
 * exactly one gets it and every other is a 409. The answer is then
 * recorded (the release's status change, with the comment, is the history
 * entry) before it is sent, so the workflow never moves on before the
 * history says why. Should sending fail in a way a retry can fix, the
 * status and the token are put back and the caller may answer again.
 *
 * - approve: WAITING_APPROVAL → IN_PROGRESS, then SendTaskSuccess with
 *   `{ approved: true, waveNumber, approvedBy?, comment? }`.
 * - reject: WAITING_APPROVAL → CANCELED (remaining waves too), then
 *   SendTaskFailure `ApprovalRejected`, after which the workflow ends by
 *   itself; if the task no longer listens, the execution is stopped.
 */
import { ConflictError } from '../domain/errors.js';
import type { TakenTaskToken } from '../domain/release-store.js';
import type { ReleaseApiDeps, RequestMeta, SendOutcome } from './ports.js';
import { actionReason, cleanUpCanceledRelease } from './release-cleanup.js';
import { type ReleaseView, releaseView } from './release-view.js';

export type ApprovalDecision = 'approve' | 'reject';

/** SendTaskFailure's `error` for a rejected gate (what the state machine's Catch sees). */
const APPROVAL_REJECTED_ERROR = 'ApprovalRejected';

export interface AnswerApprovalInput {
  releaseId: string;
  decision: ApprovalDecision;
  comment?: string;
}

type Deps = Pick<ReleaseApiDeps, 'store' | 'executions' | 'jobs'>;

/** Takes the open gate's token. @throws NotFoundError, ConflictError when no gate waits for this answer */
async function takeGate(
  deps: Deps,
  releaseId: string,
): Promise<{ waveNumber: number; taken: TakenTaskToken }> {
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
  const taken = await deps.store.takeTaskToken(releaseId, gate.waveNumber, 'APPROVAL');
  if (!taken) {
    throw new ConflictError(
      `The approval gate after wave ${gate.waveNumber} of release ${releaseId} was answered by another request.`,
      releaseId,
    );
  }
  return { waveNumber: gate.waveNumber, taken };
}

/** Puts a taken token back so the gate can be answered again; a failure here leaves the first error to report. */
async function restoreGate(deps: Deps, releaseId: string, waveNumber: number, taken: TakenTaskToken) {
  await deps.store
    .storeTaskToken(releaseId, waveNumber, { token: taken.token, purpose: taken.purpose, at: taken.storedAt })
    .catch(() => undefined);
}

/**
 * Approves or rejects the release's open approval gate.
 * @throws NotFoundError, ConflictError (not waiting, answered by another request, gate closed), ThrottledError, UpstreamError
 */
export async function answerApproval(
  deps: Deps,
  input: AnswerApprovalInput,
  meta: RequestMeta,
): Promise<ReleaseView> {
  const { releaseId, decision, comment } = input;
  const { waveNumber, taken } = await takeGate(deps, releaseId);
  const approve = decision === 'approve';
  const reason = actionReason(
    `${approve ? 'Approved' : 'Rejected'} after wave ${waveNumber}`,
    meta.actor,
    comment,
  );

  try {
    const { changed } = await deps.store.transitionRelease(releaseId, {
      to: approve ? 'IN_PROGRESS' : 'CANCELED',
      from: ['WAITING_APPROVAL'],
      reason,
      actor: meta.actor,
      at: meta.now(),
    });
    if (!changed)
      throw new ConflictError(`Release ${releaseId} changed while it was being answered.`, releaseId);
  } catch (error) {
    // A conflict: the release was canceled meanwhile, and the gate with it.
    if (!(error instanceof ConflictError)) await restoreGate(deps, releaseId, waveNumber, taken);
    throw error;
  }

  if (approve) {
    await sendApproval(
      deps,
      releaseId,
      waveNumber,
      taken,
      {
        approved: true,
        waveNumber,
        ...(meta.actor && { approvedBy: meta.actor }),
        ...(comment && { comment }),
      },
      meta,
    );
  } else {
    let outcome: SendOutcome | 'failed';
    try {
      outcome = await deps.executions.sendTaskFailure(taken.token, {
        error: APPROVAL_REJECTED_ERROR,
        cause: reason,
      });
    } catch {
      outcome = 'failed';
    }
    // Delivered: the workflow ends by itself. Otherwise nothing listens any more: stop it.
    await cleanUpCanceledRelease(deps, releaseId, {
      reason,
      force: false,
      stopExecution: outcome !== 'delivered',
      at: meta.now(),
    });
  }
  return releaseView(await deps.store.getRelease(releaseId));
}

async function sendApproval(
  deps: Deps,
  releaseId: string,
  waveNumber: number,
  taken: TakenTaskToken,
  output: object,
  meta: RequestMeta,
): Promise<void> {
  let outcome: SendOutcome;
  try {
    outcome = await deps.executions.sendTaskSuccess(taken.token, output);
  } catch (error) {
    // Not delivered (throttled, service failure): undo, so the same answer can be sent again.
    await deps.store
      .transitionRelease(releaseId, {
        to: 'WAITING_APPROVAL',
        from: ['IN_PROGRESS'],
        reason: `The approval after wave ${waveNumber} could not be delivered; answer again.`,
        at: meta.now(),
      })
      .then(() => restoreGate(deps, releaseId, waveNumber, taken))
      .catch(() => undefined);
    throw error;
  }
  if (outcome === 'task-gone') {
    // The gate timed out or the execution ended before the answer: the workflow's own path decides the release.
    throw new ConflictError(
      `The approval gate after wave ${waveNumber} of release ${releaseId} closed before the answer arrived.`,
      releaseId,
    );
  }
}
