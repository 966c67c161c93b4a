import { IdentityEvents } from '@keyward/contracts';
import { type DataSource, QueryFailedError } from 'typeorm';
import { AccountState, AccountType, ErrorCode, type Principal } from '@keyward/domain';
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
function serviceOver(row: AccountEntity | null, usernames: string[] = [], options: { insertFails?: unknown } = {}) {
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
    insert: jest.fn((values: { name: string; email: string | null; type: AccountType }) =>
      options.insertFails ? Promise.reject(options.insertFails) : Promise.resolve(accountRow({ ...values, state: AccountState.Enabled })),
    ),
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
    insert: calls.insert,
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

describe('AccountsService.create', () => {
  const create = (service: AccountsService, fields: { name?: string; email?: string; type?: string }) => service.create({ principal: admin, ...fields });

  it("creates a user account, enabled, with Anchore's answer", async () => {
    const { service, calls } = serviceOver(null);
    expect(await create(service, { name: 'acme', email: 'ops@example.com' })).toMatchObject({
      name: 'acme',
      email: 'ops@example.com',
      type: 'user',
      state: 'enabled',
    });
    expect(calls.insert).toHaveBeenCalledWith({ name: 'acme', email: 'ops@example.com', type: AccountType.User });
  });

  it("refuses in Anchore's words: no name, a reserved name, another type; then names outside the rule", async () => {
    const { service, calls } = serviceOver(null);
    await expect(create(service, {})).rejects.toMatchObject({ code: ErrorCode.BadRequest, message: 'Invalid account request: "name" is required' });
    for (const name of ['admin', 'anchore-system', 'system']) {
      await expect(create(service, { name })).rejects.toMatchObject({
        code: ErrorCode.ReservedName,
        message: `Invalid account request: Cannot use name ${name}`,
      });
    }
    await expect(create(service, { name: 'acme', type: 'admin' })).rejects.toMatchObject({
      code: ErrorCode.BadRequest,
      message: 'Invalid account request: Account type must be "user", found: admin',
    });
    await expect(create(service, { name: 'a c m e' })).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    expect(calls.insert).not.toHaveBeenCalled();
  });

  it('answers a taken name as Anchore does, and keeps any other failure as it is', async () => {
    const taken = new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'accounts_name_unique' }));
    await expect(create(serviceOver(null, [], { insertFails: taken }).service, { name: 'acme' })).rejects.toMatchObject({
      code: ErrorCode.AccountAlreadyExists,
      message: 'Account already exists',
    });
    const outage = new Error('connection terminated');
    await expect(create(serviceOver(null, [], { insertFails: outage }).service, { name: 'acme' })).rejects.toBe(outage);
  });

  it('is for administrators only', async () => {
    const { service } = serviceOver(null);
    await expect(service.create({ principal: member, name: 'mine' })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
  });
});

describe('AccountsService.updateState', () => {
  it('disables an account and ends every cached principal of it on the gateways', async () => {
    const { service, calls } = serviceOver(accountRow({ state: AccountState.Enabled }));
    expect(await service.updateState({ principal: admin, account: 'acme', state: AccountState.Disabled })).toEqual({ state: AccountState.Disabled });
    expect(calls.principalsChanged).toHaveBeenCalledWith({ account: 'acme' });
  });

  it('answers a change to the state the account is in without writing or announcing anything', async () => {
    const { service, calls } = serviceOver(accountRow({ state: AccountState.Disabled }));
    expect(await service.updateState({ principal: admin, account: 'acme', state: AccountState.Disabled })).toEqual({ state: AccountState.Disabled });
    expect(calls.setState).not.toHaveBeenCalled();
    expect(calls.principalsChanged).not.toHaveBeenCalled();
  });

  it('never disables the admin account, and never brings back an account being deleted', async () => {
    const { service } = serviceOver(accountRow({ name: 'admin', type: AccountType.Admin, state: AccountState.Enabled }));
    await expect(service.updateState({ principal: admin, account: 'admin', state: AccountState.Disabled })).rejects.toMatchObject({
      code: ErrorCode.ProtectedAccount,
      message: 'Cannot disable the admin account',
    });
    const deleting = serviceOver(accountRow({ state: AccountState.Deleting }));
    await expect(deleting.service.updateState({ principal: admin, account: 'acme', state: AccountState.Enabled })).rejects.toMatchObject({
      code: ErrorCode.InvalidStateChange,
    });
    expect(deleting.calls.setState).not.toHaveBeenCalled();
  });
});
