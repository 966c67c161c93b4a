import { eventually, freePort, PrivateNatsServer, TestStack } from '@keyward/testing';

const REAPER_ENV = { KEYWARD_REAPER_SWEEP_SECONDS: '1', KEYWARD_REAPER_LEASE_SECONDS: '3', KEYWARD_REAPER_BATCH_SIZE: '100', KEYWARD_REAPER_PURGE_MS: '0' };

describe('reaper replicas and a NATS restart', () => {
  let nats: PrivateNatsServer;
  let stack: TestStack;

  beforeAll(async () => {
    nats = await PrivateNatsServer.start(await freePort());
    stack = await TestStack.start({ reapers: 2, reaperEnv: REAPER_ENV, natsUrl: nats.url });
  });

  afterAll(async () => {
    await stack?.stop();
    await nats?.stop();
  });

  async function seededAccount(credentials: number): Promise<{ name: string; id: string }> {
    const name = await stack.newAccount();
    const [row] = await stack.database.query<{ id: string }>('SELECT id FROM identity.accounts WHERE name = $1', [name]);
    const id = row?.id ?? '';
    await stack.database.query(
      `INSERT INTO credentials.credentials (id, account_id, name, type, scope, public_values, values_sealed, created_by)
       SELECT gen_random_uuid(), $1, 'bulk-' || g, 'password', 'all', '{"username":"u"}', 'kw1.test1.AA.AA.AA', 'seed' FROM generate_series(1, $2) g`,
      [id, credentials],
    );
    await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' });
    return { name, id };
  }

  const allGone = (names: string[]) =>
    eventually(
      'every account to be gone',
      async () => {
        const statuses = await Promise.all(names.map(async (name) => (await stack.adminClient().get(`/v1/accounts/${name}`)).status));
        return statuses.every((status) => status === 404) ? true : undefined;
      },
      45_000,
      100,
    );

  it('lets two replicas share the deletions without ever working on the same account together', async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, () => seededAccount(2000)));
    await Promise.all(accounts.map(({ name }) => stack.adminClient().delete(`/v1/accounts/${name}`)));
    await allGone(accounts.map((a) => a.name));

    // The account record goes first; the reaper then marks its job done.
    const states = await eventually(
      'every job to be done',
      async () => {
        const jobs = await stack.database.query<{ state: string }>('SELECT state FROM reaper.jobs WHERE account_id = ANY($1::uuid[])', [
          accounts.map((a) => a.id),
        ]);
        return jobs.every((job) => job.state === 'done') ? jobs.map((job) => job.state) : undefined;
      },
      10_000,
      50,
    );
    expect(states).toEqual(Array(6).fill('done'));
    const left = await stack.database.query<{ n: string }>('SELECT count(*) AS n FROM credentials.credentials WHERE account_id = ANY($1::uuid[])', [
      accounts.map((a) => a.id),
    ]);
    expect(left).toEqual([{ n: '0' }]);
    const logs = (await Promise.all(stack.reapers.map((reaper) => reaper.flushedLogs()))).join('\n');
    expect(logs).not.toContain('lost the claim');
    expect(logs).not.toMatch(/Reaping .* failed/);
  });

  it('completes deletions started before NATS restarts', async () => {
    const accounts = await Promise.all(Array.from({ length: 3 }, () => seededAccount(3000)));
    await Promise.all(accounts.map(({ name }) => stack.adminClient().delete(`/v1/accounts/${name}`)));
    await nats.down();
    await nats.up();
    await allGone(accounts.map((a) => a.name));
    const left = await stack.database.query<{ n: string }>('SELECT count(*) AS n FROM credentials.credentials WHERE account_id = ANY($1::uuid[])', [
      accounts.map((a) => a.id),
    ]);
    expect(left).toEqual([{ n: '0' }]);
  });
});
