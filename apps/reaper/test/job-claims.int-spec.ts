import { serviceDataSourceOptions, runMigrationsLocked } from '@keyward/nest-common';
import { TestDatabase } from '@keyward/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReaperInitial1763820000000 } from '../src/database/migrations/1763820000000-reaper-initial';
import { JobEntity } from '../src/jobs/job.entity';
import { JobRepository } from '../src/jobs/job.repository';

describe(`${JobRepository.name} (integration)`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: JobRepository;

  beforeAll(async () => {
    database = await TestDatabase.create();
    dataSource = await new DataSource(
      serviceDataSourceOptions({
        url: database.url,
        schema: 'reaper',
        entities: [JobEntity],
        migrations: [ReaperInitial1763820000000],
        applicationName: 'reaper-test',
        poolSize: 12,
      }),
    ).initialize();
    await runMigrationsLocked(dataSource, 'reaper');
    sut = new JobRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives an account to exactly one of many replicas claiming it at once', async () => {
    const accountId = randomUUID();
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => sut.claim(accountId, 'acme', `replica-${i}`, 30)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('lets another replica take over only once the lease has expired or was released', async () => {
    const accountId = randomUUID();
    expect(await sut.claim(accountId, 'acme', 'a', 1)).toBe(true);
    expect(await sut.claim(accountId, 'acme', 'b', 30)).toBe(false);
    expect(await sut.progress(accountId, 'b', { credentials: 1 }, 30)).toBe(false);
    await dataSource.query(`UPDATE reaper.jobs SET lease_until = now() - interval '1 second' WHERE account_id = $1`, [accountId]);
    expect(await sut.claim(accountId, 'acme', 'b', 30)).toBe(true);
    expect(await sut.progress(accountId, 'a', { credentials: 1 }, 30)).toBe(false);
    expect(await sut.progress(accountId, 'b', { credentials: 1 }, 30)).toBe(true);
    await sut.release(accountId, 'b', 'credentials service unavailable');
    expect((await sut.findOpenByName('acme'))?.lastError).toBe('credentials service unavailable');
    expect(await sut.claim(accountId, 'acme', 'c', 30)).toBe(true);
  });
});
