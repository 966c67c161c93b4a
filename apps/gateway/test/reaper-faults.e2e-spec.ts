import { type AccountView } from '@keyward/contracts';
import { eventually, ServiceProcess, TestStack } from '@keyward/testing';
import { randomUUID } from 'node:crypto';
import { connect, JSONCodec } from 'nats';

type Deleting = AccountView & { remaining?: Record<string, number> | null };

const REAPER_ENV = { KEYWARD_REAPER_SWEEP_SECONDS: '1', KEYWARD_REAPER_LEASE_SECONDS: '2', KEYWARD_REAPER_BATCH_SIZE: '100', KEYWARD_REAPER_PURGE_MS: '0' };

describe('reaper under faults', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ reaperEnv: REAPER_ENV });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function accountId(name: string): Promise<string> {
    const [row] = await stack.database.query<{ id: string }>('SELECT id FROM identity.accounts WHERE name = $1', [name]);
    return row?.id ?? '';
  }

  /** Many credentials at once, written straight to the table: the purge never opens them. */
  async function seedCredentials(name: string, count: number): Promise<void> {
    await stack.database.query(
      `INSERT INTO credentials.credentials (id, account_id, name, type, scope, public_values, values_sealed, created_by)
       SELECT gen_random_uuid(), $1, 'bulk-' || g, 'password', 'all', '{"username":"u"}', 'kw1.test1.AA.AA.AA', 'seed' FROM generate_series(1, $2) g`,
      [await accountId(name), count],
    );
  }

  async function startDeletion(name: string): Promise<void> {
    await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' });
    expect((await stack.adminClient().delete(`/v1/accounts/${name}`)).status).toBe(200);
  }

  const gone = (name: string) =>
    eventually(
      `account ${name} to be gone`,
      async () => ((await stack.adminClient().get(`/v1/accounts/${name}`)).status === 404 ? true : undefined),
      30_000,
      50,
    );

  const credentialsLeft = async (id: string) =>
    Number((await stack.database.query<{ n: string }>('SELECT count(*) AS n FROM credentials.credentials WHERE account_id = $1', [id]))[0]?.n);

  it('finishes after the reaper is killed with SIGKILL halfway through 20,000 credentials and restarted', async () => {
    const name = await stack.newAccount();
    await seedCredentials(name, 20_000);
    const id = await accountId(name);
    await startDeletion(name);
    await eventually(
      'reaping to be under way',
      async () => {
        const [job] = await stack.database.query<{ remaining: { credentials: number } | null }>('SELECT remaining FROM reaper.jobs WHERE account_id = $1', [
          id,
        ]);
        const left = job?.remaining?.credentials;
        return left !== undefined && left > 0 && left < 20_000 ? true : undefined;
      },
      30_000,
      2,
    );
    const reaper = stack.reapers[0];
    await reaper?.stop('SIGKILL');
    const left = await credentialsLeft(id);
    expect(left).toBeGreaterThan(0);
    expect((await stack.adminClient().get<Deleting>(`/v1/accounts/${name}`)).body.state).toBe('deleting');

    // The restarted reaper replaces the stack's own for the rest of this file.
    stack.reapers[0] = ServiceProcess.start('reaper', { ...stack.envOf('reaper'), ...REAPER_ENV });
    await gone(name);
    expect(await credentialsLeft(id)).toBe(0);
  });

  it('waits while the credentials service is down, then completes when it returns', async () => {
    const name = await stack.newAccount();
    await seedCredentials(name, 300);
    const id = await accountId(name);
    await stack.credentials.stop();
    await startDeletion(name);
    const job = await eventually('a failed attempt to be recorded', async () => {
      const [row] = await stack.database.query<{ last_error: string | null; remaining: unknown }>(
        'SELECT last_error, remaining FROM reaper.jobs WHERE account_id = $1',
        [id],
      );
      return row?.last_error ? row : undefined;
    });
    expect(job.last_error).toMatch(/credentials service is unavailable/);
    expect(job.remaining).toBeNull();
    const during = await stack.adminClient().get<Deleting>(`/v1/accounts/${name}`);
    expect(during.body).toMatchObject({ state: 'deleting', remaining: null });
    expect(await credentialsLeft(id)).toBe(300);
    // Once a purge has reported, GET shows what is left per resource type, in Anchore's shape.
    await stack.database.query(`UPDATE reaper.jobs SET remaining = '{"credentials": 120, "projects": 1, "secrets": 0}' WHERE account_id = $1`, [id]);
    const progress = await stack.adminClient().get<Deleting>(`/v1/accounts/${name}`);
    expect(progress.body).toEqual({ ...during.body, remaining: { credentials: 120, projects: 1, secrets: 0 } });

    await stack.restartCredentials({});
    await gone(name);
    expect(await credentialsLeft(id)).toBe(0);
  });

  it('takes the same deletion event delivered twice without error or a second removal', async () => {
    const name = await stack.newAccount();
    const id = await accountId(name);
    await startDeletion(name);
    await gone(name);
    const [before] = await stack.database.query<{ attempts: number }>('SELECT attempts FROM reaper.jobs WHERE account_id = $1', [id]);

    const logsBefore = stack.reapers[0]?.logs.length ?? 0;
    const nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
    const subject = `${stack.env['KEYWARD_NATS_PREFIX']}.identity.account.deleting`;
    await nats
      .jetstream()
      .publish(subject, JSONCodec().encode({ accountId: id, account: name, requestedAt: new Date().toISOString() }), { msgID: randomUUID() });
    await nats.close();

    await eventually('the repeated event to be handled', async () => {
      const [row] = await stack.database.query<{ attempts: number; state: string }>('SELECT attempts, state FROM reaper.jobs WHERE account_id = $1', [id]);
      return row && row.attempts > (before?.attempts ?? 0) && row.state === 'done' ? true : undefined;
    });
    const deleted = await stack.database.query('SELECT id FROM identity.outbox WHERE subject = $1 AND payload->>$2 = $3', [
      'identity.account.deleted',
      'accountId',
      id,
    ]);
    expect(deleted).toHaveLength(1);
    expect((await stack.reapers[0]?.flushedLogs())?.slice(logsBefore)).not.toMatch(/failed/i);
  });
});
