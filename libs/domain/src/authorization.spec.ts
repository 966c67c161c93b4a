import { AccountState, AccountType } from './account';
import { assertMayAct, GLOBAL_DOMAIN } from './authorization';
import { DomainError, ErrorCode } from './errors';
import { type Principal } from './principal';

const principal = (accountType: AccountType, accountState = AccountState.Enabled): Principal => ({
  username: 'someone',
  accountId: '00000000-0000-4000-8000-000000000001',
  accountName: accountType === AccountType.Admin ? 'admin' : 'acme',
  accountType,
  accountState,
});

function refusal(run: () => void): DomainError | undefined {
  try {
    run();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe(assertMayAct.name, () => {
  it('lets administrators act anywhere', () => {
    expect(refusal(() => assertMayAct(principal(AccountType.Admin), GLOBAL_DOMAIN, 'listAccounts'))).toBeUndefined();
    expect(refusal(() => assertMayAct(principal(AccountType.Admin), 'acme', 'listUsers'))).toBeUndefined();
  });

  it('lets a user act in its own account only', () => {
    expect(refusal(() => assertMayAct(principal(AccountType.User), 'acme', 'createUser'))).toBeUndefined();
    const other = refusal(() => assertMayAct(principal(AccountType.User), 'other', 'getAccount'));
    expect(other?.code).toBe(ErrorCode.Forbidden);
    expect(other?.message).toBe('Not authorized. Requires permissions: domain=other action=getAccount target=*');
  });

  it('keeps users out of the global domain, even one named like it', () => {
    expect(refusal(() => assertMayAct(principal(AccountType.User), GLOBAL_DOMAIN, 'createAccount'))?.code).toBe(ErrorCode.Forbidden);
  });

  it('refuses everything to a principal whose account is not enabled', () => {
    const error = refusal(() => assertMayAct(principal(AccountType.User, AccountState.Disabled), 'acme', 'getAccount'));
    expect(error?.code).toBe(ErrorCode.AccountNotEnabled);
    expect(error?.message).toBe('Not authorized. Account acme not enabled.');
  });
});
