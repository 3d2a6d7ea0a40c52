/**
 * The actions a release allows now, as buttons: the API's `links` say which
 * of pause, resume, approve, reject and cancel it accepts; retry and roll
 * back are offered once the release has ended. Each opens a confirmation
 * with a comment, then POSTs; the API's refusal is shown in the dialog.
 */
import { useState } from 'preact/hooks';
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

/** One button that opens its action's confirmation. */
export function ActionButton(props: {
  view: ReleaseView;
  action: ActionName;
  onDone: (view: ReleaseView) => void;
}) {
  const { view, action } = props;
  const [open, setOpen] = useState(false);
  const spec = specs[action];
  const releaseId = view.release.releaseId;
  const confirm = async (input: { comment: string; field: string }) => {
    const path = `/releases/${encodeURIComponent(releaseId)}/${action}`;
    const answer = await postJson<ReleaseView>(path, body(action, input));
    // A retry or a rollback answers with the new release: show it.
    if (action === 'retry' || action === 'rollback') navigate(releaseHref(answer.release.releaseId));
    else props.onDone(answer);
  };
  return (
    <>
      <button
        type="button"
        class={spec.danger ? 'danger' : action === 'approve' ? 'primary' : ''}
        data-action={action}
        onClick={() => setOpen(true)}
      >
        {spec.label}
      </button>
      {open && (
        <ConfirmDialog
          title={spec.title}
          confirmLabel={spec.label}
          withComment={spec.withComment}
          {...(spec.field && { field: spec.field })}
          {...(spec.danger && { danger: true })}
          onConfirm={confirm}
          onClose={() => setOpen(false)}
        >
          {spec.text} Release <code>{releaseId}</code>.
        </ConfirmDialog>
      )}
    </>
  );
}

/** The release's allowed actions, minus those the gate shows beside itself. */
export function ReleaseActions(props: {
  view: ReleaseView;
  except?: readonly ActionName[];
  onDone: (view: ReleaseView) => void;
}) {
  const names = allowedActions(props.view).filter((a) => !props.except?.includes(a));
  if (names.length === 0) return null;
  return (
    <div class="actions" role="group" aria-label="Actions">
      {names.map((a) => (
        <ActionButton key={a} view={props.view} action={a} onDone={props.onDone} />
      ))}
    </div>
  );
}
