/**
 * Account names and usernames: 3 to 128 characters, a letter or digit at both ends, and in between
 * letters, digits and `@ . ! # $ + - = ^ _ \` ~ ;`. This is Anchore Engine's rule as it is meant to read
 * (its own pattern writes `+-=` unescaped, which also admits `, / : <`).
 */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9@.!#$+\-=^_`~;]{1,126}[a-zA-Z0-9]$/;

export const NAME_RULE = '3 to 128 characters: letters, digits and @.!#$+-=^_`~; with a letter or digit at both ends';

export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && NAME_PATTERN.test(name);
}

/** Anchore Engine's password rule: 6 to 128 characters. */
export const PASSWORD_MIN_LENGTH = 6;
export const PASSWORD_MAX_LENGTH = 128;

export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || password.length === 0) {
    return 'Invalid credential value, must be non-null and non-empty';
  }
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return `Password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`;
  }
  return undefined;
}
