/**
 * A modal `<dialog>` asking to confirm an action, with a comment field.
 * `showModal()` makes the rest of the page inert and Escape closes it (the
 * browser's own behaviour of a modal dialog); Tab past the last control
 * comes back to the first (the browser would move on to its own toolbar).
 * The API's refusal is shown in the dialog, which stays open.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface ConfirmDialogProps {
  title: string;
  /** What the action does, in a sentence. */
  children: ComponentChildren;
  confirmLabel: string;
  /** Whether the API takes a comment for this action. */
  withComment: boolean;
  /** An extra text field the action needs (a rollback's job template). */
  field?: { name: string; label: string; required: boolean };
  danger?: boolean;
  /** Does the action; a rejection's message is shown and the dialog stays open. */
  onConfirm: (input: { comment: string; field: string }) => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [comment, setComment] = useState('');
  const [field, setField] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const onCancel = () => props.onClose();
    dialog.addEventListener('close', onCancel);
    return () => dialog.removeEventListener('close', onCancel);
  }, [props.onClose]);

  const trapTab = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const controls = [...ref.current.querySelectorAll<HTMLElement>('input, textarea, button:not([disabled])')];
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm({ comment: comment.trim(), field: field.trim() });
      ref.current?.close();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} aria-labelledby="dialog-title" class="confirm" onKeyDown={trapTab}>
      <form method="dialog" onSubmit={submit}>
        <h2 id="dialog-title">{props.title}</h2>
        <p>{props.children}</p>
        {props.field && (
          <label>
            {props.field.label}
            <input
              name={props.field.name}
              required={props.field.required}
              value={field}
              onInput={(e) => setField(e.currentTarget.value)}
            />
          </label>
        )}
        {props.withComment && (
          <label>
            Comment (kept in the history)
            {/* One line: the API refuses control characters, a newline among them. */}
            <input
              type="text"
              name="comment"
              maxLength={2028}
              value={comment}
              onInput={(e) => setComment(e.currentTarget.value)}
            />
          </label>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            Keep as is
          </button>
          <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={busy}>
            {busy ? 'Sending…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
