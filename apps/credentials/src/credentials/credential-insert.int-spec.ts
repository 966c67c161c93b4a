import { CredentialScope, StoredCredentialType } from '@keyward/domain';
import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { AccountWrites } from '../accounts/account-writes';
import { migratedCredentialsDatabase } from '../../test/migrated-database';
import { CredentialRepository } from './credential.repository';

/**
 * A credential's insert is one statement with no transaction around it, held against the
 * account's purge by credentials.hold_against_purge: every row is either written before the purge
 * begins (and purged) or not written at all, whichever comes first.
 */
describe('a credential insert against a purge', () => {
  let dataSource: DataSource;
  let close: (() => Promise<void>) | undefined;
  let credentials: CredentialRepository;

  const row = (accountId: string, name: string) => ({
    id: randomUUID(),
    accountId,
    name,
    description: null,
    type: StoredCredentialType.Password,
    scope: CredentialScope.All,
    projectId: null,
    publicValues: { username: 'u' },
    valuesSealed: 'kw1.test.AA.AA.AA',
    existingSecretId: null,
    createdBy: 'test',
  });
  const count = async (accountId: string) =>
    Number(((await dataSource.query('SELECT count(*) AS n FROM credentials.credentials WHERE account_id = $1', [accountId])) as [{ n: string }])[0].n);

  /** A purge that has marked the account and not yet committed. */
  async function purgeUnderWay(accountId: string) {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await AccountWrites.markPurging(runner.manager, accountId);
    return {
      commit: async () => {
        await runner.commitTransaction();
        await runner.release();
      },
    };
  }

  beforeAll(async () => {
    ({ dataSource, close } = await migratedCredentialsDatabase());
    credentials = new CredentialRepository(dataSource);
  });

  afterAll(async () => {
    await close?.();
  });

  it('writes the row and answers its timestamps while no purge has begun', async () => {
    const account = randomUUID();
    const inserted = await credentials.insert(row(account, 'first'));
    expect(inserted?.createdAt).toBeInstanceOf(Date);
    expect(inserted?.name).toBe('first');
    expect(await count(account)).toBe(1);
  });

  it('waits for a purge under way and then writes nothing, seeing the mark committed while it waited', async () => {
    const account = randomUUID();
    const purge = await purgeUnderWay(account);
    let settled = false;
    const insert = credentials.insert(row(account, 'late')).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await purge.commit();
    await expect(insert).resolves.toBeUndefined();
    expect(await count(account)).toBe(0);
  });

  it('writes nothing into an account whose purge has begun', async () => {
    const account = randomUUID();
    await (await purgeUnderWay(account)).commit();
    await expect(credentials.insert(row(account, 'after'))).resolves.toBeUndefined();
    expect(await count(account)).toBe(0);
  });

  it('keeps a purge waiting while an insert inside a transaction holds the account', async () => {
    const account = randomUUID();
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await expect(AccountWrites.holdAgainstPurge(runner.manager, account)).resolves.toBe(true);
    let marked = false;
    const purge = dataSource.transaction((manager) => AccountWrites.markPurging(manager, account)).then(() => (marked = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(marked).toBe(false);
    await runner.commitTransaction();
    await runner.release();
    await purge;
    expect(marked).toBe(true);
  });
});
