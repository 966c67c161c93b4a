import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../api/errors';
import { Alert } from './fields';

export interface Confirmation {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** Runs the action; a refusal stays in the dialog, in words, until Cancel. */
  action: () => Promise<void>;
  overrides?: Partial<Record<string, string>>;
}

/**
 * The dialog of a page that asks before destroying: `ask` opens it, `dialog` goes once in the
 * page, anywhere (it is modal).
 */
export function useConfirmDialog(): { ask: (confirmation: Confirmation) => void; dialog: ReactNode } {
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  return { ask: setConfirmation, dialog: <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} /> };
}

/**
 * A modal <dialog>: the browser traps focus in it, Escape cancels, and focus goes back to the
 * button that opened it. Cancel has the focus first, so Enter never destroys by accident.
 */
export function ConfirmDialog({ confirmation, onClose }: { confirmation: Confirmation | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (confirmation && !dialog.open) {
      setError(null);
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!confirmation && dialog.open) {
      dialog.close();
    }
  }, [confirmation]);

  const confirm = async () => {
    if (!confirmation) return;
    setBusy(true);
    setError(null);
    try {
      await confirmation.action();
      onClose();
    } catch (failure: unknown) {
      setError(describeError(failure, confirmation.overrides));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} className="confirm">
      {confirmation && (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            void confirm();
          }}
        >
          <h2 id={titleId}>{confirmation.title}</h2>
          <div className="dialog-body">{confirmation.body}</div>
          <Alert text={error} />
          <div className="actions">
            <button type="button" className="secondary" ref={cancelRef} onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" className="danger" disabled={busy}>
              {busy ? 'Working…' : confirmation.confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
