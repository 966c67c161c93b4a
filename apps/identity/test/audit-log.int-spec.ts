import { type AuditRecordInput } from '@keyward/contracts';
import { runMigrationsLocked } from '@keyward/nest-common';
import { TestDatabase } from '@keyward/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLogRepository } from '../src/audit/audit-log.repository';
import { identityDataSourceOptions, IDENTITY_SCHEMA } from '../src/database/identity-data-source';
import { verifyAuditLog } from '../src/manage/audit-verify';

const record = (daysAgo: number, name: string): AuditRecordInput => ({
  id: randomUUID(),
  at: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
  actor: { username: 'admin', account: 'admin' },
  action: 'project.create',
  resource: { type: 'project', id: name, account: 'acme' },
  after: { name },
  result: { outcome: 'success', status: 201 },
});

/** The chain against the real schema: concurrent appends, a retried record, retention. */
describe('the audit log (integration)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let repository: AuditLogRepository;

  beforeAll(async () => {
    database = await TestDatabase.create();
    dataSource = new DataSource(identityDataSourceOptions(database.url, 6));
    await dataSource.initialize();
    await runMigrationsLocked(dataSource, IDENTITY_SCHEMA);
    repository = new AuditLogRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('numbers concurrent appends without a gap, and stores a retried record once', async () => {
    const retried = record(10, 'retried');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        dataSource.transaction((manager) => repository.append(manager, [record(10 - (i % 3), `p${i}`), record(9, `q${i}`)])),
      ),
    );
    await dataSource.transaction((manager) => repository.append(manager, [retried]));
    expect(await dataSource.transaction((manager) => repository.append(manager, [retried, retried]))).toEqual([]);
    const head = await repository.head();
    expect(head.seq).toBe(25);
    const seqs = (await dataSource.query('SELECT seq FROM identity.audit_log ORDER BY seq')) as Array<{ seq: string }>;
    expect(seqs.map((row) => Number(row.seq))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await verifyAuditLog(dataSource)).toEqual({ intact: true, message: 'Audit log intact: 25 record(s) (1 to 25).' });
  });

  it('removes what is older than the retention, and what remains still verifies', async () => {
    await dataSource.transaction((manager) => repository.append(manager, [record(1, 'recent-1'), record(0, 'recent-2')]));
    expect(await repository.prune(5, 10_000)).toBe(25);
    expect(await repository.prune(5, 10_000)).toBe(0);
    const result = await verifyAuditLog(dataSource);
    expect(result).toEqual({ intact: true, message: 'Audit log intact: 2 record(s) (26 to 27); records up to 25 were removed by retention.' });
    // Appending goes on from the head.
    await dataSource.transaction((manager) => repository.append(manager, [record(0, 'later')]));
    expect((await verifyAuditLog(dataSource)).intact).toBe(true);
    // Deleting the newest records is found too: the head remembers where the chain ended.
    await dataSource.query('DELETE FROM identity.audit_log WHERE seq = 28');
    expect(await verifyAuditLog(dataSource)).toEqual({
      intact: false,
      message: 'Audit log broken: the records from 28 on are missing (deleted at the end of the log).',
    });
  });

  it('lists newest first with filters, an exact total, and a cursor', async () => {
    const page = await repository.list({ principal: undefined as never, account: 'acme', page: { limit: 1 } });
    expect(page.items[0]?.resource.id).toBe('recent-2');
    expect(page.total).toBe(2);
    const next = await repository.list({ principal: undefined as never, account: 'acme', page: { limit: 1, after: String(page.items[0]?.seq) } });
    expect(next.items[0]?.resource.id).toBe('recent-1');
  });
});
