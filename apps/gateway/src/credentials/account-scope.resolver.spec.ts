import { type AccountScopeView, IdentitySubjects } from '@keyward/contracts';
import { AccountState, AccountType, type Principal } from '@keyward/domain';
import { type RpcClient } from '@keyward/nest-common';
import { type GatewayConfig } from '../config';
import { AccountScopeResolver } from './account-scope.resolver';

const admin: Principal = { username: 'admin', accountId: 'a-admin', accountName: 'admin', accountType: AccountType.Admin, accountState: AccountState.Enabled };
const staff: Principal = {
  username: 'sam',
  accountId: 'a-ops',
  accountName: 'ops',
  accountType: AccountType.User,
  accountState: AccountState.Enabled,
  staff: true,
};

function resolverWith(answers: (account: string) => Promise<AccountScopeView>) {
  const send = jest.fn((subject: string, request: { account: string }) => {
    expect(subject).toBe(IdentitySubjects.accountResolve);
    return answers(request.account);
  });
  const config = { KEYWARD_AUTH_CACHE_SIZE: 100, KEYWARD_AUTH_CACHE_TTL_SECONDS: 300 } as GatewayConfig;
  return { resolver: new AccountScopeResolver({ send } as unknown as RpcClient, config), send };
}

describe(AccountScopeResolver.name, () => {
  it("answers the caller's own account without asking identity", async () => {
    const { resolver, send } = resolverWith(() => Promise.reject(new Error('not asked')));
    await expect(resolver.resolve(staff, 'ops')).resolves.toEqual({ id: 'a-ops', name: 'ops' });
    expect(send).not.toHaveBeenCalled();
  });

  it("keeps identity's answer per principal and account until forgetAll", async () => {
    const { resolver, send } = resolverWith((account) => Promise.resolve({ id: `id-${account}`, name: account }));
    await expect(resolver.resolve(admin, 'team')).resolves.toEqual({ id: 'id-team', name: 'team' });
    await expect(resolver.resolve(admin, 'team')).resolves.toEqual({ id: 'id-team', name: 'team' });
    expect(send).toHaveBeenCalledTimes(1);
    // Another principal, or the same user through a token, is asked about on its own.
    await resolver.resolve(staff, 'team');
    await resolver.resolve({ ...admin, tokenId: 't1' }, 'team');
    expect(send).toHaveBeenCalledTimes(3);
    resolver.forgetAll();
    await resolver.resolve(admin, 'team');
    expect(send).toHaveBeenCalledTimes(4);
  });

  it('keeps no refusal', async () => {
    const { resolver, send } = resolverWith(() => Promise.reject(new Error('Account not found')));
    await expect(resolver.resolve(admin, 'gone')).rejects.toThrow('Account not found');
    await expect(resolver.resolve(admin, 'gone')).rejects.toThrow('Account not found');
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('uses an answer that was on its way during forgetAll once, and does not keep it', async () => {
    let answer!: (scope: AccountScopeView) => void;
    const { resolver, send } = resolverWith(() => new Promise((resolve) => (answer = resolve)));
    const pending = resolver.resolve(admin, 'team');
    resolver.forgetAll();
    answer({ id: 'old-id', name: 'team' });
    await expect(pending).resolves.toEqual({ id: 'old-id', name: 'team' });
    const again = resolver.resolve(admin, 'team');
    answer({ id: 'new-id', name: 'team' });
    await expect(again).resolves.toEqual({ id: 'new-id', name: 'team' });
    expect(send).toHaveBeenCalledTimes(2);
  });
});
