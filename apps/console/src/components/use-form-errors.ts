import { useCallback, useState } from 'react';
import { ApiError, describeError } from '../api/errors';

export interface FormErrors {
  /** Errors of the form's fields, by the API's field name. */
  fields: Record<string, string>;
  /** An error that no field of the form caused. */
  form: string | null;
}

const NONE: FormErrors = { fields: {}, form: null };

/**
 * Errors from submitting a form: a refusal that names a field the form shows goes next to that
 * field (and the field gets the focus), anything else next to the submit button.
 */
export function useFormErrors(formId: string) {
  const [errors, setErrors] = useState<FormErrors>(NONE);

  const clear = useCallback(() => setErrors(NONE), []);

  const fail = useCallback(
    (error: unknown, shownFields: readonly string[], options: { overrides?: Partial<Record<string, string>>; aliases?: Record<string, string> } = {}) => {
      const text = describeError(error, options.overrides);
      const named = error instanceof ApiError ? error.field : undefined;
      const field = named === undefined ? undefined : (options.aliases?.[named] ?? named);
      const match = field === undefined ? undefined : shownFields.find((shown) => field === shown || field.startsWith(`${shown}.`));
      if (match) {
        setErrors({ fields: { [match]: text }, form: null });
        requestAnimationFrame(() => document.getElementById(`${formId}-${match}`)?.focus());
      } else {
        setErrors({ fields: {}, form: text });
      }
    },
    [formId],
  );

  const invalid = useCallback(
    (fields: Record<string, string>) => {
      setErrors({ fields, form: null });
      const first = Object.keys(fields)[0];
      if (first) requestAnimationFrame(() => document.getElementById(`${formId}-${first}`)?.focus());
    },
    [formId],
  );

  return { errors, fail, invalid, clear };
}
