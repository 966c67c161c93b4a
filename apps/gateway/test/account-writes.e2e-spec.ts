import { randomUUID } from 'node:crypto';
import { type StoredCredentialView } from '@keyward/contracts';
import { type ApiClient, type ApiResponse, errorCodeOf, eventually, ServiceProcess, TestStack } from '@keyward/testing';

const credential = (name: string) => ({ name, type: 'password', scope: 'all', values: { username: 'u', password: 'p' } });

/** No project, secret or credential is written into an account that is not enabled, and none outlives its account. */
describe('writes into accounts that are not enabled', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function fill(client: ApiClient): Promise<string> {
    // A namespace is one account's in the whole installation: each account's p1 has its own.
    expect((await client.post('/v1/projects', { name: 'p1', namespace: `p1-${randomUUID()}` })).status).toBe(201);
    expect((await client.post('/v1/secrets', { namespace: 'ns1', name: 's1', data: { a: 'b' } })).status).toBe(201);
    const created = await client.post<StoredCredentialView>('/v1/credentials', credential('c1'));
    expect(created.status).toBe(201);
    return created.body.id;
  }

  /** Every change an administrator can ask in the account, with what it answered. */
  async function everyChange(client: ApiClient, credentialId: string): Promise<ApiResponse[]> {
    return Promise.all([
      client.post('/v1/projects', { name: 'p2' }),
      client.request('PATCH', '/v1/projects/p1', { description: 'changed' }),
      client.delete('/v1/projects/p1'),
      client.post('/v1/secrets', { namespace: 'ns1', name: 's2', data: { a: 'b' } }),
      client.delete('/v1/secrets/ns1/s1'),
      client.post('/v1/credentials', credential('c2')),
      client.request('PATCH', `/v1/credentials/${credentialId}`, { description: 'changed' }),
      client.delete(`/v1/credentials/${credentialId}`),
    ]);
  }

  it('refuses every change in a disabled account: 400 to administrators, 403 to its users, nothing stored', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const admin = stack.adminClient().inAccount(account);
    const credentialId = await fill(admin);
    expect((await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'disabled' })).status).toBe(200);

    const refused = await everyChange(admin, credentialId);
    expect(refused.map((response) => response.status)).toEqual(refused.map(() => 400));
    expect(refused.map(errorCodeOf)).toEqual(refused.map(() => 'ACCOUNT_NOT_ENABLED'));
    expect((refused[0].body as { message: string }).message).toBe(`Account ${account} is disabled: enable it first; nothing can be created or changed in it`);
    const own = await stack.client().as(user).post('/v1/projects', { name: 'p3' });
    expect(own.status).toBe(403);
    expect(errorCodeOf(own)).toBe('ACCOUNT_NOT_ENABLED');

    // Reads still work for administrators, and show nothing changed.
    expect((await admin.get<{ name: string; description: string | null }[]>('/v1/projects')).body).toEqual([
      expect.objectContaining({ name: 'p1', description: null }),
    ]);
    expect((await admin.get<StoredCredentialView[]>('/v1/credentials')).body.map((c) => [c.name, c.description])).toEqual([['c1', null]]);
    expect((await admin.get<{ name: string }[]>('/v1/secrets')).body.map((s) => s.name)).toEqual(['s1']);

    expect((await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'enabled' })).status).toBe(200);
    expect((await admin.post('/v1/projects', { name: 'p2' })).status).toBe(201);
  });

  it('refuses every change in an account being deleted, even while no reaper runs', async () => {
    const account = await stack.newAccount();
    const admin = stack.adminClient().inAccount(account);
    const credentialId = await fill(admin);
    await Promise.all(stack.reapers.map((reaper) => reaper.stop()));
    try {
      expect((await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'disabled' })).status).toBe(200);
      expect((await stack.adminClient().delete(`/v1/accounts/${account}`)).status).toBe(200);
      const refused = await everyChange(admin, credentialId);
      expect(refused.map(errorCodeOf)).toEqual(refused.map(() => 'ACCOUNT_NOT_ENABLED'));
      expect((refused[0].body as { message: string }).message).toBe(`Account ${account} is being deleted; nothing can be created or changed in it`);
    } finally {
      stack.reapers.push(ServiceProcess.start('reaper', stack.envOf('reaper')));
    }
    await eventually(
      'the account reaped',
      async () => ((await stack.adminClient().get(`/v1/accounts/${account}`)).status === 404 ? true : undefined),
      30_000,
      200,
    );
  });

  it('leaves no row of any kind behind when an account is deleted while writes pour in', async () => {
    const account = await stack.newAccount();
    const admin = stack.adminClient().inAccount(account);
    await fill(admin);
    const statuses = new Map<string, number>();
    let deleted = false;
    let gone = false;
    const writer = async (lane: number) => {
      for (let i = 0; !gone; i += 1) {
        const responses = await Promise.all([
          admin.post('/v1/credentials', credential(`w${lane}-${i}`)),
          admin.post('/v1/projects', { name: `w${lane}-${i}` }),
          admin.post('/v1/secrets', { namespace: 'ns1', name: `w${lane}-${i}`, data: { a: 'b' } }),
        ]);
        for (const response of responses) {
          const key = `${response.status} ${errorCodeOf(response) ?? ''}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        }
        if (deleted && responses.every((response) => response.status === 404)) gone = true;
      }
    };
    const guarded = (lane: number) =>
      writer(lane).catch((error: unknown) => {
        gone = true;
        throw error;
      });
    const lanes = [0, 1, 2, 3].map(guarded);
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      expect((await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'disabled' })).status).toBe(200);
      expect((await stack.adminClient().delete(`/v1/accounts/${account}`)).status).toBe(200);
      deleted = true;
    } finally {
      // However the deletion went, the writers stop once the account answers 404 or on a failure.
      if (!deleted) gone = true;
      await Promise.all(lanes);
    }

    expect([...statuses.keys()].filter((key) => key.startsWith('5'))).toEqual([]);
    expect(statuses.get('201 ')).toBeGreaterThan(0);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining(['201 ', '404 ACCOUNT_NOT_FOUND']));
    await eventually(
      'the account reaped',
      async () => ((await stack.adminClient().get(`/v1/accounts/${account}`)).status === 404 ? true : undefined),
      30_000,
      200,
    );
    const orphans = await stack.database.query<{ kind: string; count: number }>(
      `SELECT kind, count(*)::int AS count FROM (
         SELECT 'credential' AS kind, account_id FROM credentials.credentials
         UNION ALL SELECT 'project', account_id FROM credentials.projects
         UNION ALL SELECT 'secret', account_id FROM credentials.secrets
       ) rows
       WHERE account_id NOT IN (SELECT id FROM identity.accounts)
       GROUP BY kind`,
    );
    expect(orphans).toEqual([]);
  });
});
