import { type FormEvent, type ReactNode } from 'react';
import { Alert } from './fields';

/**
 * A "New …" panel above a list: one inline form, its submit button (which says it is working
 * while `busy`), and the form's own error under it. The heading's id is the form's plus
 * "-heading", so each panel is named by its title.
 */
export function CreatePanel({
  form,
  title,
  submitLabel,
  busy,
  error,
  onSubmit,
  children,
}: {
  form: string;
  title: string;
  submitLabel: string;
  busy: boolean;
  error: string | null;
  onSubmit: (event: FormEvent) => Promise<void>;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${form}-heading`} className="panel">
      <h2 id={`${form}-heading`}>{title}</h2>
      <form id={form} className="inline-form" onSubmit={(event) => void onSubmit(event)} noValidate>
        {children}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : submitLabel}
          </button>
        </div>
      </form>
      <Alert text={error} />
    </section>
  );
}
