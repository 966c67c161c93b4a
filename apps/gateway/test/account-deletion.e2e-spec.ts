import { type AccountView, type StoredCredentialView } from '@keyward/contracts';
import { eventually, TestStack } from '@keyward/testing';

type Deleting = AccountView & { remaining?: Record<string, number> | null };

describe('account deletion with the reaper', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ reaperEnv: { KEYWARD_REAPER_BATCH_SIZE: '50', KEYWARD_REAPER_PURGE_MS: '0' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function accountWithResources(credentials: number): Promise<string> {
    const name = await stack.newAccount();
    const admin = stack.adminClient().inAccount(name);
    await admin.post('/v1/projects', { name: 'work' });
    await admin.post('/v1/secrets', {
      namespace: 'keyward',
      name: 'shared',
      labels: { 'keyward.io/cluster-wide-credentials': 'true' },
      data: { token: 't0ken' },
    });
    await admin.post('/v1/credentials', { name: 'from-secret', type: 'kubernetes-secret', scope: 'all', existingSecret: 'keyward/shared' });
    for (let i = 1; i < credentials; i += 1) {
      await admin.post('/v1/credentials', {
        name: `c${i}`,
        type: 'password',
        scope: 'project',
        project: 'work',
        values: { username: 'u', password: 'pw-123456' },
      });
    }
    return name;
  }

  it('runs Anchore’s lifecycle: create, add a user, disable, delete, poll until 404, in seconds', async () => {
    const name = await accountWithResources(120);
    const user = await stack.newUser(name);
    expect((await stack.client().as(user).get('/v1/account')).status).toBe(200);
    expect((await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' })).status).toBe(200);
    const started = Date.now();
    expect((await stack.adminClient().delete(`/v1/accounts/${name}`)).body).toEqual({ state: 'deleting' });

    const seen: Deleting[] = [];
    await eventually(
      'the account to be gone',
      async () => {
        const response = await stack.adminClient().get<Deleting>(`/v1/accounts/${name}`);
        if (response.status === 200) seen.push(response.body);
        return response.status === 404 ? true : undefined;
      },
      20_000,
      20,
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(15_000);
    expect(seen.every((view) => view.state === 'deleting')).toBe(true);
    expect((await stack.client().as(user).get('/v1/account')).status).toBe(401);
    // Gone, the account is unknown to every state change: 404, no longer deleting's 400.
    expect((await stack.adminClient().delete(`/v1/accounts/${name}`)).status).toBe(404);
    expect((await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'enabled' })).status).toBe(404);

    const left = await stack.database.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM credentials.credentials) + (SELECT count(*) FROM credentials.projects) + (SELECT count(*) FROM credentials.secrets) AS n`,
    );
    expect(left).toEqual([{ n: '0' }]);
    const outbox = await stack.database.query<{ subject: string; published: boolean }>(
      `SELECT subject, published_at IS NOT NULL AS published FROM identity.outbox WHERE payload->>'account' = $1 ORDER BY id`,
      [name],
    );
    expect(outbox).toEqual([
      { subject: 'identity.account.deleting', published: true },
      { subject: 'identity.account.deleted', published: true },
    ]);
  });

  it('shows the remaining counts while deleting, then frees the name for a new account that sees nothing old', async () => {
    const name = await accountWithResources(3);
    await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' });
    await stack.adminClient().delete(`/v1/accounts/${name}`);
    await eventually('the account to be gone', async () => ((await stack.adminClient().get(`/v1/accounts/${name}`)).status === 404 ? true : undefined));

    const again = await stack.adminClient().post<AccountView>('/v1/accounts', { name });
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('enabled');
    const admin = stack.adminClient().inAccount(name);
    expect((await admin.get<StoredCredentialView[]>('/v1/credentials')).body).toEqual([]);
    expect((await admin.get('/v1/projects')).body).toEqual([]);
    expect((await admin.get('/v1/secrets')).body).toEqual([]);
    const jobs = await stack.database.query<{ state: string; remaining: Record<string, number> }>(
      `SELECT state, remaining FROM reaper.jobs WHERE account_name = $1`,
      [name],
    );
    expect(jobs).toEqual([{ state: 'done', remaining: { credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 0 } }]);
  });
});
