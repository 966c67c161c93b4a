import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { isUniqueViolation } from './pg-errors';
import { PreparedStatement } from './prepared-statement';
import { QueryErrorLogger } from './query-error-logger';

const SERVER = process.env['KEYWARD_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Prepared statements against the real PostgreSQL (a database of its own), on a pool of one connection so every run shares it. */
describe(PreparedStatement.name, () => {
  const database = `keyward_test_${randomBytes(6).toString('hex')}`;
  let dataSource: DataSource;
  const byName = new PreparedStatement<{ id: number; name: string }>('test.items.by-name', 'SELECT id, name FROM items WHERE name = $1');
  const insert = new PreparedStatement<{ id: number }>('test.items.insert', 'INSERT INTO items (id, name) VALUES ($1, $2) RETURNING id');
  const prepared = new PreparedStatement<{ name: string; generic_plans: string }>(
    'test.prepared',
    'SELECT name, generic_plans::text FROM pg_prepared_statements WHERE name LIKE $1 ORDER BY name',
  );

  beforeAll(async () => {
    Logger.overrideLogger(false);
    await onServer(`CREATE DATABASE ${database}`);
    const url = new URL(SERVER);
    url.pathname = `/${database}`;
    dataSource = new DataSource({ type: 'postgres', url: url.toString(), logger: new QueryErrorLogger(), extra: { max: 1 } });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE items (id int PRIMARY KEY, name text UNIQUE NOT NULL)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await onServer(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('parses a statement once per connection and plans it generically after a few runs', async () => {
    await insert.run(dataSource, [1, 'one']);
    for (let i = 0; i < 8; i += 1) expect(await byName.run(dataSource, ['one'])).toEqual([{ id: 1, name: 'one' }]);
    const statements = await prepared.run(dataSource, ['test.items.%']);
    expect(statements.map((row) => row.name)).toEqual(['test.items.by-name', 'test.items.insert']);
    expect(Number(statements[0]?.generic_plans)).toBeGreaterThan(0);
  });

  it('fails as every other query does: a QueryFailedError with PostgreSQL’s code', async () => {
    const duplicate = await insert.run(dataSource, [2, 'one']).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(duplicate, 'items_name_key')).toBe(true);
    const badType = await insert.run(dataSource, ['three', 'three']).catch((error: unknown) => error);
    expect(badType).toBeInstanceOf(QueryFailedError);
    expect((badType as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('22P02');
    // The connection is still usable after failures.
    expect(await byName.run(dataSource, ['one'])).toHaveLength(1);
  });

  it('runs inside a transaction on the transaction’s connection', async () => {
    await dataSource.transaction(async (manager) => {
      await insert.run(dataSource, [3, 'three'], manager);
      expect(await byName.run(dataSource, ['three'], manager)).toEqual([{ id: 3, name: 'three' }]);
    });
    expect(await byName.run(dataSource, ['three'])).toHaveLength(1);
  });

  it('inside a transaction prepares on its connection too, and a failure rolls the transaction back', async () => {
    const failed = await dataSource
      .transaction(async (manager) => {
        await insert.run(dataSource, [4, 'four'], manager);
        await insert.run(dataSource, [5, 'one'], manager);
      })
      .catch((error: unknown) => error);
    expect(isUniqueViolation(failed, 'items_name_key')).toBe(true);
    expect(await byName.run(dataSource, ['four'])).toEqual([]);
  });

  it('names a statement built from a request by its shape: the same text, the same statement', async () => {
    const shape = (filtered: boolean) => `SELECT id, name FROM items WHERE id > $1${filtered ? ' AND name = $2' : ''} ORDER BY id`;
    expect(PreparedStatement.shaped('test.items.list', shape(true))).toBe(PreparedStatement.shaped('test.items.list', shape(true)));
    const plain = PreparedStatement.shaped<{ id: number }>('test.items.list', shape(false));
    expect(plain.name).not.toBe(PreparedStatement.shaped('test.items.list', shape(true)).name);
    expect(plain.name).toMatch(/^test\.items\.list\.[0-9a-f]{16}$/);
    expect((await plain.run(dataSource, [0])).map((row) => row.id)).toEqual([1, 3]);
  });

  it('refuses a second statement of the same name: a connection would run the first one’s text', () => {
    expect(() => new PreparedStatement('test.items.by-name', 'SELECT 1')).toThrow('Prepared statement test.items.by-name is declared twice');
  });
});
