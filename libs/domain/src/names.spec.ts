import { isValidName, passwordProblem } from './names';

describe(isValidName.name, () => {
  it.each(['abc', 'account1', 'user.name@example.com', 'a-b_c', 'x'.repeat(128), 'John.Doe+ci=1'])('accepts %s', (name) => {
    expect(isValidName(name)).toBe(true);
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'x'.repeat(129)],
    ['symbol at the start', '_abc'],
    ['symbol at the end', 'abc-'],
    ['space', 'ab c'],
    ['slash', 'ab/c'],
    ['comma, admitted only by a misread of the pattern', 'ab,c'],
    ['empty', ''],
  ])('refuses %s', (_, name) => {
    expect(isValidName(name)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isValidName(42)).toBe(false);
    expect(isValidName(undefined)).toBe(false);
  });
});

describe(passwordProblem.name, () => {
  it('accepts 6 to 128 characters', () => {
    expect(passwordProblem('secret')).toBeUndefined();
    expect(passwordProblem('p'.repeat(128))).toBeUndefined();
  });

  it('refuses empty, short, long and non-string values', () => {
    expect(passwordProblem('')).toMatch(/non-empty/);
    expect(passwordProblem(undefined)).toMatch(/non-empty/);
    expect(passwordProblem('12345')).toMatch(/6 to 128/);
    expect(passwordProblem('p'.repeat(129))).toMatch(/6 to 128/);
  });
});
