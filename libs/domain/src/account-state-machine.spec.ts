import { AccountState, AccountType } from './account';
import { assertAccountStateChange } from './account-state-machine';
import { DomainError, ErrorCode } from './errors';

const account = (state: AccountState, type = AccountType.User) => ({ name: 'acme', type, state });

function codeOf(run: () => void): ErrorCode | undefined {
  try {
    run();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe(assertAccountStateChange.name, () => {
  const { Enabled, Disabled, Deleting } = AccountState;

  it.each([
    [Enabled, Disabled],
    [Disabled, Enabled],
    [Disabled, Deleting],
    [Enabled, Enabled],
    [Disabled, Disabled],
  ])('allows %s -> %s', (from, to) => {
    expect(codeOf(() => assertAccountStateChange(account(from), to))).toBeUndefined();
  });

  it.each([
    [Enabled, Deleting],
    [Deleting, Enabled],
    [Deleting, Disabled],
    [Deleting, Deleting],
  ])('refuses %s -> %s with Anchore message', (from, to) => {
    expect(() => assertAccountStateChange(account(from), to)).toThrow(`Invalid account state change requested. Cannot go from state ${from} to state ${to}`);
    expect(codeOf(() => assertAccountStateChange(account(from), to))).toBe(ErrorCode.InvalidStateChange);
  });

  it('never lets the admin account leave enabled', () => {
    expect(codeOf(() => assertAccountStateChange(account(Enabled, AccountType.Admin), Disabled))).toBe(ErrorCode.ProtectedAccount);
    expect(() => assertAccountStateChange(account(Enabled, AccountType.Admin), Disabled)).toThrow('Cannot disable the admin account');
    expect(codeOf(() => assertAccountStateChange(account(Enabled, AccountType.Admin), Enabled))).toBeUndefined();
    expect(codeOf(() => assertAccountStateChange(account(Enabled, AccountType.Admin), Deleting))).toBe(ErrorCode.InvalidStateChange);
  });
});
