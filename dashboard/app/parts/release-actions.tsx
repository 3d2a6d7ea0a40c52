/**
 * The actions a release allows now, as buttons: the API's `links` say which
 * of pause, resume, approve, reject and cancel it accepts; retry and roll
 * back are offered once the release has ended. Each opens a confirmation
 * (with a comment where the API keeps one), then POSTs; the API's refusal
 * is shown in the dialog. Retry and roll back take no comment: their
 * request bodies have none.
 */
import { postJson } from '../api.js';
import { navigate, releaseHref } from '../router.js';
import type { ReleaseView } from '../types.js';
import { ConfirmDialog } from './confirm-dialog.js';

/** An action the page can ask for. */
export type ActionName = 'pause' | 'resume' | 'approve' | 'reject' | 'cancel' | 'retry' | 'rollback';

interface ActionSpec {
  label: string;
  title: string;
  text: string;
  withComment: boolean;
  danger?: boolean;
  field?: { name: string; label: string; required: boolean };
}

const specs: Record<ActionName, ActionSpec> = {
  pause: {
    label: 'Pause',
    title: 'Pause the release',
    text: 'The running wave goes on to its verdict; no next wave starts until the release is resumed.',
    withComment: true,
  },
  resume: {
    label: 'Resume',
    title: 'Resume the release',
    text: 'The release goes on from where it was held (a pause not held yet is withdrawn).',
    withComment: true,
  },
  approve: {
    label: 'Approve',
    title: 'Approve the gate',
    text: 'The release goes on with its next wave.',
    withComment: true,
  },
  reject: {
    label: 'Reject',
    title: 'Reject the gate',
    text: 'The release stops here and no later wave starts.',
    withComment: true,
    danger: true,
  },
  cancel: {
    label: 'Cancel release',
    title: 'Cancel the release',
    text: 'The running wave’s job is canceled and no later wave starts.',
    withComment: true,
    danger: true,
  },
  retry: {
    label: 'Retry failed things',
    title: 'Retry the failed things',
    text: 'A new release updates the things whose executions failed, timed out or were rejected.',
    withComment: false,
  },
  rollback: {
    label: 'Roll back',
    title: 'Roll back the updated things',
    text: 'A new release runs the job template that puts the previous version back on the things this release updated.',
    withComment: false,
    danger: true,
    field: { name: 'jobTemplateId', label: 'Job template that restores the previous version', required: true },
  },
};

const ended = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

/** The actions the release allows now, in the order shown. */
function allowedActions(view: ReleaseView): ActionName[] {
  const { links, release } = view;
  const names: ActionName[] = [];
  if (links.approve) names.push('approve');
  if (links.reject) names.push('reject');
  if (links.resume) names.push('resume');
  if (links.pause) names.push('pause');
  if (links.cancel) names.push('cancel');
  if (ended.has(release.status)) names.push('retry', 'rollback');
  return names;
}

function body(action: ActionName, input: { comment: string; field: string }): object {
  if (action === 'rollback') return { jobTemplateId: input.field };
  if (action === 'retry') return {};
  return input.comment ? { comment: input.comment } : {};
}

/** One button that asks the page to open its action's confirmation. */
export function ActionButton(props: { action: ActionName; onOpen: (action: ActionName) => void }) {
  const spec = specs[props.action];
  return (
    <button
      type="button"
      class={spec.danger ? 'danger' : props.action === 'approve' ? 'primary' : ''}
      data-action={props.action}
      onClick={() => props.onOpen(props.action)}
    >
      {spec.label}
    </button>
  );
}

/** An action the page has open: the confirmation keeps it, whatever a poll changes meanwhile. */
export interface OpenAction {
  action: ActionName;
  /** One per opened confirmation: a second send of the same confirmation is the same request. */
  idempotencyKey: string;
}

/** Opens `action`'s confirmation with a new idempotency key. */
export function openAction(action: ActionName): OpenAction {
  return { action, idempotencyKey: crypto.randomUUID() };
}

/**
 * The confirmation of an opened action, then its POST. It lives in the page,
 * not beside its button, so a poll that hides the button (the gate moved on)
 * leaves it open; the API's refusal (a 409 once the release moved on) is shown in it.
 */
export function ActionDialog(props: {
  view: ReleaseView;
  open: OpenAction;
  onDone: (view: ReleaseView) => void;
  onClose: () => void;
}) {
  const { action, idempotencyKey } = props.open;
  const spec = specs[action];
  const releaseId = props.view.release.releaseId;
  const confirm = async (input: { comment: string; field: string }) => {
    const path = `/releases/${encodeURIComponent(releaseId)}/${action}`;
    // Retry and roll back make a new release: the key keeps a repeated send from making two.
    const makesRelease = action === 'retry' || action === 'rollback';
    const answer = await postJson<ReleaseView>(path, body(action, input), makesRelease ? idempotencyKey : undefined);
    if (makesRelease) navigate(releaseHref(answer.release.releaseId));
    else props.onDone(answer);
  };
  return (
    <ConfirmDialog
      title={spec.title}
      confirmLabel={spec.label}
      withComment={spec.withComment}
      {...(spec.field && { field: spec.field })}
      {...(spec.danger && { danger: true })}
      onConfirm={confirm}
      onClose={props.onClose}
    >
      {spec.text} Release <code>{releaseId}</code>.
    </ConfirmDialog>
  );
}

/** The release's allowed actions, minus those the gate shows beside itself. */
export function ReleaseActions(props: {
  view: ReleaseView;
  except?: readonly ActionName[];
  onOpen: (action: ActionName) => void;
}) {
  const names = allowedActions(props.view).filter((a) => !props.except?.includes(a));
  if (names.length === 0) return null;
  return (
    <div class="actions" role="group" aria-label="Actions">
      {names.map((a) => (
        <ActionButton key={a} action={a} onOpen={props.onOpen} />
      ))}
    </div>
  );
}
