import { type TestDatabase } from '@keyward/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { migratedCredentialsDatabase } from '../../test/migrated-database';
import { DeliveryRepository } from './delivery.repository';

/**
 * The delivery queue against the real PostgreSQL: changes in one account never wait for each
 * other's commit, and taking an account off the queue waits for every change still committing in
 * it, so none is lost between the take and the read that follows.
 */
describe('the delivery queue', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let close: (() => Promise<void>) | undefined;
  let deliveries: DeliveryRepository;
  const account = randomUUID();
  const clients: Client[] = [];

  async function client(): Promise<Client> {
    const connection = new Client({ connectionString: database.url });
    await connection.connect();
    clients.push(connection);
    return connection;
  }
  const addProject = (connection: Client, name: string) =>
    connection.query(`INSERT INTO credentials.projects (account_id, name, namespace, created_by) VALUES ($1, $2, $2, 'test')`, [account, name]);

  beforeAll(async () => {
    ({ database, dataSource, close } = await migratedCredentialsDatabase());
    deliveries = new DeliveryRepository(dataSource);
  });

  afterAll(async () => {
    for (const connection of clients) await connection.end().catch(() => undefined);
    await close?.();
  });

  it('lets two uncommitted changes of one queued account go on side by side', async () => {
    const [first, second] = [await client(), await client()];
    await addProject(first, 'queued-first');
    await first.query('BEGIN');
    await addProject(first, 'a');
    await second.query('BEGIN');
    // Before, the second change waited here for the first to commit (the queue row was locked).
    await second.query('SET LOCAL lock_timeout = 2000');
    await expect(addProject(second, 'b')).resolves.toBeDefined();
    await first.query('COMMIT');
    await second.query('COMMIT');
  });

  it('waits, after taking an account, for a change that found it queued, and queues a later change anew', async () => {
    await deliveries.takeQueued();
    const writer = await client();
    await addProject(writer, 'queues-it');
    await writer.query('BEGIN');
    await addProject(writer, 'in-flight');
    let taken = false;
    const taking = deliveries.takeQueued().then((rows) => {
      taken = true;
      return rows;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(taken).toBe(false);
    await writer.query('COMMIT');
    expect((await taking).map((row) => row.accountId)).toEqual([account]);
    // What delivery reads next holds the change that was committing meanwhile.
    const [row] = await database.query<{ n: string }>(`SELECT count(*) AS n FROM credentials.projects WHERE name = 'in-flight'`);
    expect(row?.n).toBe('1');
    await addProject(writer, 'later');
    expect((await deliveries.takeQueued()).map((queued) => queued.accountId)).toEqual([account]);
  });
});
