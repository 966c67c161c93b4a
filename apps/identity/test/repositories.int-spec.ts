import { AccountState, AccountType, UserType } from '@keyward/domain';
import { runMigrationsLocked, toRfc3339 } from '@keyward/nest-common';
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

  it('lists an account’s users by its name a page at a time, oldest first, with the total', async () => {
    const page = await users.pageByAccountName('acme', 10, 0);
    expect(page?.total).toBe(3);
    expect(page?.items.map((user) => user.username)).toEqual(['carol', 'alice', 'bob']);
    const carol = await dataSource.getRepository(UserEntity).findOneByOrFail({ username: 'carol' });
    expect(page?.items[0]).toEqual({
      username: 'carol',
      type: UserType.Native,
      source: null,
      created_at: toRfc3339(carol.createdAt),
      last_updated: toRfc3339(carol.lastUpdated),
    });
    expect((await users.pageByAccountName('acme', 1, 1))?.items.map((user) => user.username)).toEqual(['alice']);
    expect(await users.pageByAccountName('acme', 10, 5)).toEqual({ items: [], total: 3 });
    await accounts.insert({ name: 'empty', email: null, type: AccountType.User });
    expect(await users.pageByAccountName('empty', 10, 0)).toEqual({ items: [], total: 0 });
    expect(await users.pageByAccountName('nobody', 10, 0)).toBeNull();
    expect(await users.pageByAccountName('hidden', 10, 0)).toBeNull();
  });

  it('orders users created within the same millisecond by their exact creation time, and shows times to the second in UTC', async () => {
    const beta = await accounts.insert({ name: 'beta', email: null, type: AccountType.User });
    for (const username of ['zed', 'amy']) {
      await dataSource.transaction((manager) => users.insertWithPassword(beta.id, username, HASH, manager));
    }
    await dataSource.query(`UPDATE identity.users SET created_at = '2026-01-01 00:00:00.000900+00' WHERE username = 'amy'`);
    await dataSource.query(`UPDATE identity.users SET created_at = '2026-01-01 00:00:00.000100+00' WHERE username = 'zed'`);
    await dataSource.query(`UPDATE identity.users SET last_updated = '2026-03-04 05:06:07.999999+02' WHERE username = 'zed'`);
    // Before 1970 the seconds still count down, not toward zero.
    await dataSource.query(`UPDATE identity.users SET last_updated = '1969-12-31 23:59:59.5+00' WHERE username = 'amy'`);
    // Sessions in another time zone than UTC still read the times in UTC.
    const elsewhere = new DataSource(identityDataSourceOptions(`${database.url}?options=${encodeURIComponent('-c TimeZone=Asia/Kolkata')}`, 1));
    await elsewhere.initialize();
    try {
      expect(await elsewhere.query('SHOW TimeZone')).toEqual([{ TimeZone: 'Asia/Kolkata' }]);
      const page = await new UserRepository(elsewhere).pageByAccountName('beta', 10, 0);
      expect(page?.items.map((user) => user.username)).toEqual(['zed', 'amy']);
      expect(page?.items[0]).toMatchObject({ created_at: '2026-01-01T00:00:00Z', last_updated: '2026-03-04T03:06:07Z' });
      expect(page?.items[1]).toMatchObject({ created_at: '2026-01-01T00:00:00Z', last_updated: '1969-12-31T23:59:59Z' });
    } finally {
      await elsewhere.destroy();
    }
  });
});
