import { type AccountStateView, IdentityEvents, IdentitySubjects } from '@keyward/contracts';
import { AccountState, AccountType, ErrorCode, type Principal } from '@keyward/domain';
import { type EventBus, type RpcClient } from '@keyward/nest-common';
import { type DataSource } from 'typeorm';
import { type CredentialsConfig } from '../config';
import { AccountWrites } from './account-writes';

const admin: Principal = { username: 'admin', accountId: 'a0', accountName: 'admin', accountType: AccountType.Admin, accountState: AccountState.Enabled };
const account = { id: 'a1', name: 'acme' };

/** AccountWrites over a fake identity (its answers) and a fake bus whose principalChanged and reconnect can be fired. */
function writesWith(answer: () => Promise<AccountStateView>, seconds = 5) {
  const send = jest.fn((subject: string) => {
    expect(subject).toBe(IdentitySubjects.accountState);
    return answer();
  });
  const fire: { changed?: () => void; reconnect?: () => void } = {};
  const rpc = { send, onReconnect: (callback: () => void) => (fire.reconnect = callback) } as unknown as RpcClient;
  const bus = {
    subscribe: (event: string, handler: () => void) => {
      expect(event).toBe(IdentityEvents.principalChanged);
      fire.changed = handler;
      return { unsubscribe: () => undefined };
    },
  } as unknown as EventBus;
  const writes = new AccountWrites(rpc, bus, {} as DataSource, { KEYWARD_ACCOUNT_STATE_CACHE_SECONDS: seconds } as CredentialsConfig);
  writes.onApplicationBootstrap();
  return { writes, send, fire };
}

const enabled = () => Promise.resolve({ id: 'a1', name: 'acme', state: AccountState.Enabled });

describe(AccountWrites.name, () => {
  it('asks identity once while nothing changes, and again after any reported change or a reconnect', async () => {
    const { writes, send, fire } = writesWith(enabled);
    await writes.assertEnabled(admin, account);
    await writes.assertEnabled(admin, account);
    expect(send).toHaveBeenCalledTimes(1);
    fire.changed?.();
    await writes.assertEnabled(admin, account);
    expect(send).toHaveBeenCalledTimes(2);
    fire.reconnect?.();
    await writes.assertEnabled(admin, account);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('refuses an account that is not enabled, asking each time', async () => {
    const { writes, send } = writesWith(() => Promise.resolve({ id: 'a1', name: 'acme', state: AccountState.Disabled }));
    await expect(writes.assertEnabled(admin, account)).rejects.toMatchObject({ code: ErrorCode.AccountNotEnabled });
    await expect(writes.assertEnabled(admin, account)).rejects.toMatchObject({ code: ErrorCode.AccountNotEnabled });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('does not keep an answer that was on its way when a change was reported', async () => {
    let answer!: (view: AccountStateView) => void;
    const { writes, send, fire } = writesWith(() => new Promise((resolve) => (answer = resolve)));
    const pending = writes.assertEnabled(admin, account);
    fire.changed?.();
    answer({ id: 'a1', name: 'acme', state: AccountState.Enabled });
    await pending;
    const again = writes.assertEnabled(admin, account);
    answer({ id: 'a1', name: 'acme', state: AccountState.Disabled });
    await expect(again).rejects.toMatchObject({ code: ErrorCode.AccountNotEnabled });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('asks on every write when the cache is off (0 seconds)', async () => {
    const { writes, send, fire } = writesWith(enabled, 0);
    expect(fire.changed).toBeUndefined();
    await writes.assertEnabled(admin, account);
    await writes.assertEnabled(admin, account);
    expect(send).toHaveBeenCalledTimes(2);
  });
});
