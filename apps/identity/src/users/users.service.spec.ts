import { AccountState, AccountType, ErrorCode, type Principal, UserType } from '@keyward/domain';
import { QueryFailedError, type DataSource } from 'typeorm';
import { type AccountEntity } from '../accounts/account.entity';
import { type PasswordHasher } from '../auth/password-hasher';
import { type PrincipalEvents } from '../events/principal-events';
import { type AccountLookup } from './account-lookup';
import { type UserEntity } from './user.entity';
import { type UserRepository } from './user.repository';
import { UsersService } from './users.service';

const admin: Principal = { username: 'admin', accountId: 'a0', accountName: 'admin', accountType: AccountType.Admin, accountState: AccountState.Enabled };
const alice: Principal = { username: 'alice', accountId: 'a1', accountName: 'acme', accountType: AccountType.User, accountState: AccountState.Enabled };

function accountRow(overrides: Partial<AccountEntity> = {}): AccountEntity {
  return {
    id: 'a1',
    name: 'acme',
    email: null,
    type: AccountType.User,
    state: AccountState.Enabled,
    createdAt: new Date(0),
    lastUpdated: new Date(0),
    ...overrides,
  };
}

function userRow(username: string): UserEntity {
  return {
    id: `u-${username}`,
    username,
    accountId: 'a1',
    type: UserType.Native,
    source: null,
    superuser: false,
    staff: false,
    createdAt: new Date('2026-12-01T10:00:00Z'),
    lastUpdated: new Date('2026-12-01T10:00:00Z'),
  } as UserEntity;
}

/** A unique violation as the pg driver reports it through TypeORM. */
function uniqueViolation(constraint: string): QueryFailedError {
  return new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key value'), { code: '23505', constraint }));
}

/** The service over mocked collaborators; `locked` is what the transaction's locked read of the account finds. */
function serviceOver(locked: AccountEntity | null, options: { insertFails?: unknown; existing?: UserEntity } = {}) {
  const calls = {
    hash: jest.fn((password: string) => Promise.resolve(`hashed:${password}`)),
    insert: jest.fn((_accountId: string, username: string, _hash: string, _manager: unknown) =>
      options.insertFails ? Promise.reject(options.insertFails) : Promise.resolve(userRow(username)),
    ),
    deleteUser: jest.fn((_id: string) => Promise.resolve()),
    changed: jest.fn((_event: unknown) => Promise.resolve()),
  };
  const manager = { getRepository: () => ({ findOne: () => Promise.resolve(locked) }) };
  const dataSource = { transaction: (work: (m: unknown) => Promise<unknown>) => work(manager) } as unknown as DataSource;
  const lookup = {
    account: () => Promise.resolve(accountRow()),
    user: (_account: string, username: string) => Promise.resolve(options.existing ?? userRow(username)),
  } as unknown as AccountLookup;
  const service = new UsersService(
    dataSource,
    lookup,
    { insertWithPassword: calls.insert, delete: calls.deleteUser } as unknown as UserRepository,
    { hash: calls.hash } as unknown as PasswordHasher,
    { changed: calls.changed } as unknown as PrincipalEvents,
  );
  return { service, calls };
}

describe('UsersService.create', () => {
  it('stores the password only as its hash and answers the user without it', async () => {
    const { service, calls } = serviceOver(accountRow());
    const view = await service.create({ principal: admin, account: 'acme', username: 'bob', password: 'correct horse' });
    expect(view).toEqual({ username: 'bob', type: UserType.Native, source: null, created_at: '2026-12-01T10:00:00Z', last_updated: '2026-12-01T10:00:00Z' });
    expect(calls.insert).toHaveBeenCalledWith('a1', 'bob', 'hashed:correct horse', expect.anything());
    expect(JSON.stringify(view)).not.toContain('correct horse');
  });

  it('refuses a username that is no name, and a password out of bounds, before hashing anything', async () => {
    const { service, calls } = serviceOver(accountRow());
    await expect(service.create({ principal: admin, account: 'acme', username: 'bob smith', password: 'correct horse' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: expect.stringMatching(/^Validation failed: username must be /) as string,
    });
    await expect(service.create({ principal: admin, account: 'acme', username: 'bob', password: 'short' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: 'Validation failed: Password must be 6 to 128 characters long',
    });
    expect(calls.hash).not.toHaveBeenCalled();
  });

  it('answers a taken username, in any account, as Anchore does', async () => {
    const { service } = serviceOver(accountRow(), { insertFails: uniqueViolation('users_username_unique') });
    await expect(service.create({ principal: admin, account: 'acme', username: 'bob', password: 'correct horse' })).rejects.toMatchObject({
      code: ErrorCode.UserAlreadyExists,
      message: 'User already exists',
    });
  });

  it('keeps any other failure of the insert as it is', async () => {
    const outage = new Error('connection terminated');
    const { service } = serviceOver(accountRow(), { insertFails: outage });
    await expect(service.create({ principal: admin, account: 'acme', username: 'bob', password: 'correct horse' })).rejects.toBe(outage);
  });

  it('adds no user to an account being deleted, nor to the system account', async () => {
    const deleting = serviceOver(accountRow({ state: AccountState.Deleting }));
    await expect(deleting.service.create({ principal: admin, account: 'acme', username: 'bob', password: 'correct horse' })).rejects.toMatchObject({
      code: ErrorCode.BadRequest,
      message: 'Account acme is being deleted',
    });
    expect(deleting.calls.insert).not.toHaveBeenCalled();
    const system = serviceOver(accountRow({ name: 'anchore-system', type: AccountType.Service }));
    await expect(system.service.create({ principal: admin, account: 'anchore-system', username: 'bob', password: 'correct horse' })).rejects.toMatchObject({
      code: ErrorCode.AccountNotFound,
    });
  });
});

describe('UsersService.delete', () => {
  it('deletes the user and ends their sessions and cached credentials on every gateway', async () => {
    const { service, calls } = serviceOver(accountRow());
    await service.delete({ principal: admin, account: 'acme', username: 'bob' });
    expect(calls.deleteUser).toHaveBeenCalledWith('u-bob');
    expect(calls.changed).toHaveBeenCalledWith({ usernames: ['bob'] });
  });

  it('never deletes the built-in users, nor the user the request authenticated as', async () => {
    const { service, calls } = serviceOver(accountRow());
    await expect(service.delete({ principal: admin, account: 'admin', username: 'admin' })).rejects.toMatchObject({ code: ErrorCode.ProtectedUser });
    const own = serviceOver(accountRow(), { existing: userRow('alice') });
    await expect(own.service.delete({ principal: { ...alice, accountType: AccountType.Admin }, account: 'acme', username: 'alice' })).rejects.toMatchObject({
      code: ErrorCode.SelfDeletion,
    });
    expect(calls.deleteUser).not.toHaveBeenCalled();
    expect(own.calls.deleteUser).not.toHaveBeenCalled();
  });
});
