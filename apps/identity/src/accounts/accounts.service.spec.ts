import { IdentityEvents } from '@keyward/contracts';
import { AccountState, AccountType, ErrorCode, type Principal } from '@keyward/domain';
import { type DataSource } from 'typeorm';
import { type AuditService } from '../audit/audit.service';
import { type PrincipalEvents } from '../events/principal-events';
import { type OutboxRelayService } from '../outbox/outbox-relay.service';
import { type OutboxRepository } from '../outbox/outbox.repository';
import { type UserRepository } from '../users/user.repository';
import { type AccountEntity } from './account.entity';
import { type AccountRepository } from './account.repository';
import { AccountsService } from './accounts.service';

const admin: Principal = { username: 'admin', accountId: 'a0', accountName: 'admin', accountType: AccountType.Admin, accountState: AccountState.Enabled };
const member: Principal = { username: 'alice', accountId: 'a1', accountName: 'acme', accountType: AccountType.User, accountState: AccountState.Enabled };

function accountRow(overrides: Partial<AccountEntity> = {}): AccountEntity {
  return {
    id: 'a1',
    name: 'acme',
    email: null,
    type: AccountType.User,
    state: AccountState.Disabled,
    createdAt: new Date(0),
    lastUpdated: new Date(0),
    ...overrides,
  };
}

/**
 * The service over mocked repositories: `row` is what the locked read of the account finds
 * (null: no such account). A transaction runs its callback with a stand-in manager and records
 * that it ran, so a test sees what was written inside it.
 */
function serviceOver(row: AccountEntity | null, usernames: string[] = []) {
  const manager = { stand: 'in' };
  const calls = {
    transactions: 0,
    deleteUsers: jest.fn((_accountId: string, _manager: unknown) => Promise.resolve(usernames)),
    setState: jest.fn((account: AccountEntity, state: AccountState, _manager: unknown) => Promise.resolve({ ...account, state })),
    outbox: jest.fn((_subject: string, _payload: unknown, _manager: unknown) => Promise.resolve()),
    principalsChanged: jest.fn((_change: unknown) => Promise.resolve()),
    kick: jest.fn(),
    removeRow: jest.fn((_id: string, _manager: unknown) => Promise.resolve()),
    audit: jest.fn((_manager: unknown, _records: unknown[]) => Promise.resolve()),
  };
  const dataSource = {
    transaction: (work: (m: unknown) => Promise<unknown>) => {
      calls.transactions += 1;
      return work(manager);
    },
  } as unknown as DataSource;
  const accounts = {
    findVisibleByNameForUpdate: (name: string) => Promise.resolve(row && row.name === name ? row : null),
    findByIdForUpdate: (id: string) => Promise.resolve(row && row.id === id ? row : null),
    setState: calls.setState,
    remove: calls.removeRow,
  } as unknown as AccountRepository;
  const service = new AccountsService(
    dataSource,
    accounts,
    { deleteAllOfAccount: calls.deleteUsers } as unknown as UserRepository,
    { add: calls.outbox } as unknown as OutboxRepository,
    { changed: calls.principalsChanged } as unknown as PrincipalEvents,
    { kick: calls.kick } as unknown as OutboxRelayService,
    { appendWith: calls.audit } as unknown as AuditService,
  );
  return { service, calls, manager };
}

describe('AccountsService.delete', () => {
  it('moves a disabled account to deleting, removing its users, in one transaction with the outbox event', async () => {
    const { service, calls, manager } = serviceOver(accountRow(), ['alice', 'bob']);
    expect(await service.delete({ principal: admin, account: 'acme' })).toEqual({ state: AccountState.Deleting });
    expect(calls.transactions).toBe(1);
    expect(calls.deleteUsers).toHaveBeenCalledWith('a1', manager);
    expect(calls.setState).toHaveBeenCalledWith(expect.objectContaining({ id: 'a1' }), AccountState.Deleting, manager);
    expect(calls.outbox).toHaveBeenCalledTimes(1);
    const [subject, event, outboxManager] = calls.outbox.mock.calls[0]!;
    expect(subject).toBe(IdentityEvents.accountDeleting);
    expect(event).toEqual({ accountId: 'a1', account: 'acme', requestedAt: expect.any(String) as string });
    expect(outboxManager).toBe(manager);
    // The removed users' sessions and cached credentials end on every gateway, then the reaper is told.
    expect(calls.principalsChanged).toHaveBeenCalledWith({ account: 'acme', usernames: ['alice', 'bob'] });
    expect(calls.kick).toHaveBeenCalledTimes(1);
  });

  it('sends no principal change when the account had no users left', async () => {
    const { service, calls } = serviceOver(accountRow(), []);
    await service.delete({ principal: admin, account: 'acme' });
    expect(calls.principalsChanged).not.toHaveBeenCalled();
    expect(calls.kick).toHaveBeenCalledTimes(1);
  });

  it('refuses an enabled account with the state change it cannot make, writing nothing', async () => {
    const { service, calls } = serviceOver(accountRow({ state: AccountState.Enabled }));
    await expect(service.delete({ principal: admin, account: 'acme' })).rejects.toMatchObject({
      code: ErrorCode.InvalidStateChange,
      message: 'Invalid account state change requested. Cannot go from state enabled to state deleting',
    });
    expect(calls.deleteUsers).not.toHaveBeenCalled();
    expect(calls.outbox).not.toHaveBeenCalled();
    expect(calls.kick).not.toHaveBeenCalled();
  });

  it('refuses an account already being deleted, so the reaper is not told twice', async () => {
    const { service, calls } = serviceOver(accountRow({ state: AccountState.Deleting }));
    await expect(service.delete({ principal: admin, account: 'acme' })).rejects.toMatchObject({ code: ErrorCode.InvalidStateChange });
    expect(calls.outbox).not.toHaveBeenCalled();
  });

  it('never deletes the admin or the system account, whatever their state', async () => {
    for (const type of [AccountType.Admin, AccountType.Service]) {
      const { service, calls } = serviceOver(accountRow({ name: 'admin', type }));
      await expect(service.delete({ principal: admin, account: 'admin' })).rejects.toMatchObject({ code: ErrorCode.ProtectedAccount });
      expect(calls.deleteUsers).not.toHaveBeenCalled();
    }
  });

  it('answers not found for an account it cannot see', async () => {
    const { service } = serviceOver(null);
    await expect(service.delete({ principal: admin, account: 'ghost' })).rejects.toMatchObject({ code: ErrorCode.AccountNotFound });
  });

  it("refuses a user of an ordinary account before opening a transaction, even for the user's own account", async () => {
    const { service, calls } = serviceOver(accountRow());
    await expect(service.delete({ principal: member, account: 'acme' })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(calls.transactions).toBe(0);
  });
});

describe('AccountsService.remove: the reaper’s last step', () => {
  it('removes a deleting account with its audit record and the deleted event in the same transaction', async () => {
    const { service, calls, manager } = serviceOver(accountRow({ state: AccountState.Deleting }));
    expect(await service.remove({ principal: admin, accountId: 'a1' })).toEqual({ removed: true });
    expect(calls.removeRow).toHaveBeenCalledWith('a1', manager);
    expect(calls.audit).toHaveBeenCalledWith(manager, [expect.objectContaining({ action: 'account.remove' })]);
    expect(calls.outbox).toHaveBeenCalledWith(IdentityEvents.accountDeleted, expect.objectContaining({ accountId: 'a1', account: 'acme' }), manager);
  });

  it('is idempotent: an account already gone answers removed false and writes nothing', async () => {
    const { service, calls } = serviceOver(null);
    expect(await service.remove({ principal: admin, accountId: 'a1' })).toEqual({ removed: false });
    expect(calls.removeRow).not.toHaveBeenCalled();
    expect(calls.outbox).not.toHaveBeenCalled();
  });

  it('never removes an account that is not being deleted', async () => {
    const { service, calls } = serviceOver(accountRow({ state: AccountState.Disabled }));
    await expect(service.remove({ principal: admin, accountId: 'a1' })).rejects.toMatchObject({
      code: ErrorCode.InvalidStateChange,
      message: 'Account acme is disabled, not deleting: it cannot be removed',
    });
    expect(calls.removeRow).not.toHaveBeenCalled();
  });
});
