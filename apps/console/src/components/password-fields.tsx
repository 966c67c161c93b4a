import { TextField } from './fields';

/** Identity's password rule (libs/domain/src/names.ts), as a sentence next to the field. */
export const PASSWORD_RULE = '6 to 128 characters.';

export function passwordProblems(password: string, repeat: string): Record<string, string> {
  if (password.length < 6 || password.length > 128) return { value: 'A password has 6 to 128 characters.' };
  if (password !== repeat) return { repeat: 'The two passwords differ.' };
  return {};
}

/** A new password and the same again, with the rule next to the first. */
export function PasswordFields({
  form,
  label,
  password,
  repeat,
  errors,
  onPassword,
  onRepeat,
}: {
  form: string;
  label: string;
  password: string;
  repeat: string;
  errors: Record<string, string>;
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
}) {
  return (
    <>
      <TextField
        label={label}
        id={`${form}-value`}
        type="password"
        autoComplete="new-password"
        hint={PASSWORD_RULE}
        value={password}
        error={errors['value']}
        onChange={(event) => onPassword(event.target.value)}
      />
      <TextField
        label={`${label} again`}
        id={`${form}-repeat`}
        type="password"
        autoComplete="new-password"
        value={repeat}
        error={errors['repeat']}
        onChange={(event) => onRepeat(event.target.value)}
      />
    </>
  );
}
