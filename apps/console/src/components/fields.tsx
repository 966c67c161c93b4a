import { type ComponentProps, type ReactNode, useId } from 'react';

interface FieldProps {
  label: string;
  /** Shown under the label, read with the input. */
  hint?: ReactNode;
  /** An error about this field, shown beside it and read with it. */
  error?: string;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === 'string');
  return present.length ? present.join(' ') : undefined;
}

export function FieldError({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {text}
    </p>
  );
}

/** The attributes that tie a control to its label, hint and error. */
interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * The label, hint and error around one control. The control itself is the caller's: it spreads
 * `control` first, so its own props (even an aria-describedby of its own) still win.
 */
function LabelledField({ label, hint, error, id, children }: FieldProps & { id: string | undefined; children: (control: ControlProps) => ReactNode }) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id: inputId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy(hint !== undefined && `${inputId}-hint`, error !== undefined && `${inputId}-error`),
      })}
      <FieldError id={`${inputId}-error`} text={error} />
    </div>
  );
}

export function TextField({ label, hint, error, id, ...input }: FieldProps & ComponentProps<'input'>) {
  return (
    <LabelledField label={label} hint={hint} error={error} id={id}>
      {(control) => <input {...control} {...input} />}
    </LabelledField>
  );
}

export function TextAreaField({ label, hint, error, id, ...input }: FieldProps & ComponentProps<'textarea'>) {
  return (
    <LabelledField label={label} hint={hint} error={error} id={id}>
      {(control) => <textarea {...control} {...input} />}
    </LabelledField>
  );
}

export function SelectField({ label, hint, error, id, children, ...select }: FieldProps & ComponentProps<'select'>) {
  return (
    <LabelledField label={label} hint={hint} error={error} id={id}>
      {(control) => (
        <select {...control} {...select}>
          {children}
        </select>
      )}
    </LabelledField>
  );
}

export function CheckboxField({ label, hint, id, ...input }: Omit<FieldProps, 'error'> & ComponentProps<'input'>) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className="field checkbox">
      <input type="checkbox" id={inputId} aria-describedby={hint ? `${inputId}-hint` : undefined} {...input} />
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A group of radio buttons under one legend. */
export function RadioGroup<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  hint,
  error,
}: {
  legend: string;
  name: string;
  value: T;
  options: readonly { value: T; label: string; disabled?: boolean }[];
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className="field radio-group" aria-describedby={describedBy(hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`)}>
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className="radio-options">
        {options.map((option) => (
          <label key={option.value} className="radio">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              disabled={option.disabled}
              onChange={() => onChange(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
      <FieldError id={`${id}-error`} text={error} />
    </fieldset>
  );
}

/** An error about the whole form or action, shown where it happened. */
export function Alert({ text, tone = 'error' }: { text?: string | null; tone?: 'error' | 'success' | 'info' }) {
  if (!text) return null;
  return (
    <p className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}
