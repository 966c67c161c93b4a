import { AccountState, AccountType, UserType } from '@keyward/domain';
import { runMigrationsLocked } from '@keyward/nest-common';
import { TestDatabase } from '@keyward/testing';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../src/accounts/account.entity';
import { AccountRepository } from '../src/accounts/account.repository';
import { identityDataSourceOptions, IDENTITY_SCHEMA } from '../src/database/identity-data-source';
import { UserEntity } from '../src/users/user.entity';
import { UserRepository } from '../src/users/user.repository';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

/** The repositories' hand-written reads against the real schema, compared with what TypeORM reads. */
describe('identity repositories (integration)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let accounts: AccountRepository;
  let users: UserRepository;
  let acme: AccountEntity;

  beforeAll(async () => {
    database = await TestDatabase.create();
    dataSource = new DataSource(identityDataSourceOptions(database.url, 2));
    await dataSource.initialize();
    await runMigrationsLocked(dataSource, IDENTITY_SCHEMA);
    accounts = new AccountRepository(dataSource);
    users = new UserRepository(dataSource);
    acme = await accounts.insert({ name: 'acme', email: 'ops@acme.test', type: AccountType.User });
    await accounts.insert({ name: 'hidden', email: null, type: AccountType.Service });
    // One transaction each: created_at is the transaction's start, so they are listed in this order.
    for (const username of ['carol', 'alice', 'bob']) {
      await dataSource.transaction((manager) => users.insertWithPassword(acme.id, username, HASH, manager));
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('finds a visible account by name with the fields TypeORM reads, never the service account', async () => {
    const found = await accounts.findVisibleByName('acme');
    expect(found).toBeInstanceOf(AccountEntity);
    expect(found).toEqual(await dataSource.getRepository(AccountEntity).findOneBy({ name: 'acme' }));
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(await accounts.findVisibleByName('hidden')).toBeNull();
    expect(await accounts.findVisibleByName('nobody')).toBeNull();
  });

  it('reads a login: the user, its account and its password hash', async () => {
    const login = await users.findLogin('alice');
    const alice = await dataSource.getRepository(UserEntity).findOne({ where: { username: 'alice' }, relations: { account: true } });
    expect(login).toEqual({ user: alice, passwordHash: HASH });
    expect(login?.user.account).toMatchObject({ name: 'acme', type: AccountType.User, state: AccountState.Enabled });
    expect(await users.findLogin('nobody')).toBeNull();
    await users.deletePassword(login?.user.id ?? '');
    expect((await users.findLogin('alice'))?.passwordHash).toBeNull();
  });

  it('lists an account’s users a page at a time, oldest first, with the total', async () => {
    const [all, total] = await users.listByAccount(acme.id, 10, 0);
    expect(total).toBe(3);
    expect(all.map((user) => user.username)).toEqual(['carol', 'alice', 'bob']);
    expect(all[0]).toBeInstanceOf(UserEntity);
    expect(all[0]).toMatchObject({ accountId: acme.id, type: UserType.Native, source: null });
    const [second] = await users.listByAccount(acme.id, 1, 1);
    expect(second.map((user) => user.username)).toEqual(['alice']);
    expect(await users.listByAccount(acme.id, 10, 5)).toEqual([[], 3]);
    const [none, noneTotal] = await users.listByAccount('00000000-0000-4000-8000-000000000000', 10, 0);
    expect([none, noneTotal]).toEqual([[], 0]);
  });

  it('orders users created within the same millisecond by their exact creation time', async () => {
    const beta = await accounts.insert({ name: 'beta', email: null, type: AccountType.User });
    for (const username of ['zed', 'amy']) {
      await dataSource.transaction((manager) => users.insertWithPassword(beta.id, username, HASH, manager));
    }
    await dataSource.query(`UPDATE identity.users SET created_at = '2026-01-01 00:00:00.000100+00' WHERE username = 'zed'`);
    await dataSource.query(`UPDATE identity.users SET created_at = '2026-01-01 00:00:00.000900+00' WHERE username = 'amy'`);
    const [listed] = await users.listByAccount(beta.id, 10, 0);
    expect(listed.map((user) => user.username)).toEqual(['zed', 'amy']);
    expect(listed[0]?.createdAt).toEqual(new Date('2026-01-01T00:00:00.000Z'));
  });
});
