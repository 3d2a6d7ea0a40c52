/**
 * The approval gate after a wave, as the wave keeps it: the token of the
 * workflow task that waits at the gate, and, once a person approved, the
 * approval itself. Keeping the approval (not only sending it) is what lets
 * it survive the loss of the task it was sent to: when the stack restarts,
 * the gate is opened again with a new token, finds the approval and goes
 * through at once, instead of asking a second time. One rule for the
 * DynamoDB repository and the in-memory store alike.
 */
import { ConflictError } from './errors.js';
import type { Approval } from './release.js';
import type { TakenTaskToken } from './release-store.js';
import type { HeldWave } from './wave-move.js';
import { takenTaskToken, withTaskToken } from './wave-task-token.js';

/** What the gate's task receives (SendTaskSuccess output, `$.approval` in the workflow). */
export interface ApprovalOutput {
  approved: true;
  waveNumber: number;
  reason: string;
  approvedBy?: string;
  comment?: string;
}

export function approvalOutput(approval: Approval, waveNumber: number): ApprovalOutput {
  return {
    approved: true,
    waveNumber,
    reason: approval.reason,
    ...(approval.actor && { approvedBy: approval.actor }),
    ...(approval.comment && { comment: approval.comment }),
  };
}

/**
 * The wave with `approval` recorded and its gate's token taken (the token
 * to send it with, if the gate held one).
 * @throws ConflictError when no gate is open on the wave, or it was answered already
 */
export function approvedGate<W extends HeldWave>(
  current: W,
  approval: Approval,
  at: string,
): { next: W; taken?: TakenTaskToken } {
  const gate = `The approval gate after wave ${current.waveNumber} of release ${current.releaseId}`;
  if (current.approval)
    throw new ConflictError(`${gate} was answered by another request.`, current.releaseId);
  if (current.waitingFor !== 'APPROVAL') {
    throw new ConflictError(`${gate} is not open; it was answered or closed.`, current.releaseId);
  }
  const result = takenTaskToken(current, 'APPROVAL', at);
  const next = result?.next ?? { ...current, version: current.version + 1, updatedAt: at };
  // Who approved is part of the wave's view, not only of its hidden approval.
  const shown = { approvedBy: approval.actor, approvedAt: approval.at };
  return { next: { ...next, approval, ...shown }, ...(result && { taken: result.taken }) };
}

/**
 * Opening the gate with `token`: the approval already given (nothing to
 * write), or the wave holding the token.
 */
export function openedGate<W extends HeldWave>(
  current: W,
  token: string,
  at: string,
): { approval: Approval } | { next: W } {
  if (current.approval) return { approval: current.approval };
  return { next: withTaskToken(current, { token, purpose: 'APPROVAL' }, at) };
}

/**
 * The wave as it was before an approval that could not be delivered: the
 * approval dropped, the token it took back. Undefined when there is no
 * approval to withdraw.
 */
export function withdrawnApproval<W extends HeldWave>(
  current: W,
  taken: TakenTaskToken | undefined,
  at: string,
): W | undefined {
  if (!current.approval) return undefined;
  const next: W = {
    ...current,
    version: current.version + 1,
    updatedAt: at,
    approval: undefined,
    approvedBy: undefined,
    approvedAt: undefined,
  };
  return taken
    ? { ...next, taskToken: taken.token, waitingFor: taken.purpose, waitingSince: taken.storedAt }
    : next;
}
