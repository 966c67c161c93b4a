import { AccountState, AccountType } from './account';
import { assertMayAct, assertMayActOnUser, GLOBAL_DOMAIN } from './authorization';
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

describe(assertMayActOnUser.name, () => {
  const plain = { username: 'mallory', staff: false, superuser: false };
  const staff = { username: 'sam', staff: true, superuser: false };
  const superuser = { username: 'carol', staff: false, superuser: true };
  const as = (roles: { username: string; staff: boolean; superuser: boolean }, accountType = AccountType.User): Principal => ({
    ...principal(accountType),
    username: roles.username,
    staff: roles.staff,
    superuser: roles.superuser,
  });

  it('keeps a plain user off the staff and superusers of its own account', () => {
    const onSuperuser = refusal(() => assertMayActOnUser(as(plain), superuser, 'updateUser'));
    expect(onSuperuser?.code).toBe(ErrorCode.Forbidden);
    expect(onSuperuser?.message).toBe('Not authorized. updateUser on user carol requires the superuser role that user holds');
    expect(refusal(() => assertMayActOnUser(as(plain), staff, 'deleteUser'))?.message).toContain('requires the staff role');
    expect(refusal(() => assertMayActOnUser(as(plain), { ...plain, username: 'bob' }, 'deleteUser'))).toBeUndefined();
  });

  it('lets staff act on staff but not on superusers', () => {
    expect(refusal(() => assertMayActOnUser(as(staff), { ...staff, username: 'sue' }, 'updateUser'))).toBeUndefined();
    expect(refusal(() => assertMayActOnUser(as(staff), superuser, 'updateUser'))?.code).toBe(ErrorCode.Forbidden);
  });

  it('lets superusers and admin-account users act on anyone, and everyone on itself', () => {
    expect(refusal(() => assertMayActOnUser(as({ ...superuser, username: 'sid' }), superuser, 'deleteUser'))).toBeUndefined();
    expect(refusal(() => assertMayActOnUser(as({ ...plain, username: 'admin' }, AccountType.Admin), superuser, 'deleteUser'))).toBeUndefined();
    expect(refusal(() => assertMayActOnUser(as(plain), plain, 'updateUser'))).toBeUndefined();
  });
});
