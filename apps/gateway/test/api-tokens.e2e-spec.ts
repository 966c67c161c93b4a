import { type ApiTokenView, type CreatedTokenView, type KeywardClientConfig } from '@keyward/contracts';
import { parseToken, signRequest } from '@keyward/domain';
import { type ApiClient, type ApiResponse, type Credentials, errorCodeOf, TestStack } from '@keyward/testing';
import { Client } from 'pg';

type Created = CreatedTokenView & { keyward: KeywardClientConfig };

/** API tokens through the gateway: creation, signed and bearer requests, every refusal, revocation, sessions. */
describe('API tokens and signed requests', () => {
  let stack: TestStack;
  let account: string;
  let user: Credentials;

  beforeAll(async () => {
    stack = await TestStack.start({ gateways: 2 });
    account = await stack.newAccount();
    user = await stack.newUser(account);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function createToken(owner: Credentials, body: Record<string, unknown> = {}): Promise<Created> {
    const response = await stack
      .client()
      .as(owner)
      .post<Created>('/v1/user/tokens', { name: `t${Math.random().toString(36).slice(2, 10)}`, ...body });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function sql(query: string, params: unknown[]): Promise<void> {
    const client = new Client({ connectionString: stack.database.url });
    await client.connect();
    try {
      await client.query(query, params);
    } finally {
      await client.end();
    }
  }

  it('creates a token once, with the ~/.keyward JSON, and lists it without its secret', async () => {
    const response = await stack.client().as(user).post<Created>('/v1/user/tokens', { name: 'ci', expiresInDays: 30 });
    expect(response.status).toBe(201);
    const created = response.body;
    expect(created.token).toMatch(/^kwt_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(parseToken(created.token)?.id).toBe(created.id);
    expect(created.keyward).toEqual({ registry: { token: created.token, username: user.username, base: stack.gatewayUrls[0] } });
    expect(created).toMatchObject({ name: 'ci', username: user.username, account, readOnly: false, last_used_at: null });
    const days = (Date.parse(created.expires_at) - Date.parse(created.created_at)) / 86_400_000;
    expect(days).toBeCloseTo(30, 2);

    const listed = await stack.client().as(user).get<ApiTokenView[]>('/v1/user/tokens');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('x-total-count')).toBe('1');
    expect(listed.body).toEqual([
      {
        id: created.id,
        name: 'ci',
        username: user.username,
        account,
        readOnly: false,
        created_at: created.created_at,
        expires_at: created.expires_at,
        last_used_at: null,
      },
    ]);
    const secret = parseToken(created.token)?.secret ?? '';
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const again = await stack.client().as(user).post('/v1/user/tokens', { name: 'ci' });
    expect(again.status).toBe(409);
    expect(errorCodeOf(again)).toBe('TOKEN_ALREADY_EXISTS');
  });

  it('refuses bad token fields with a 400 that names the field', async () => {
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: 'ok', expiresInDays: 0 }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: 'soon' }, 'expiresInDays'],
      [{ name: 'ok', readOnly: 'no' }, 'readOnly'],
    ] as const) {
      const response = await stack.client().as(user).post('/v1/user/tokens', body);
      expect(response.status).toBe(400);
      expect(errorCodeOf(response)).toBe('VALIDATION_FAILED');
      expect((response.body as { message: string }).message).toContain(field);
    }
  });

  it('accepts signed requests, GET and POST with a body, and records the use', async () => {
    const created = await createToken(user);
    const signed = stack.client().withToken(created.token);
    const whoami = await signed.get<{ name: string }>('/v1/account');
    expect(whoami.status).toBe(200);
    expect(whoami.body.name).toBe(account);

    const project = await signed.post<{ name: string }>('/v1/projects?b=2&a=1', { name: 'signed-project' });
    expect(project.status).toBe(201);
    expect(project.body.name).toBe('signed-project');

    const listed = await stack.client().as(user).get<ApiTokenView[]>('/v1/user/tokens');
    expect(listed.body.find((token) => token.id === created.id)?.last_used_at).not.toBeNull();
  });

  it('refuses each kind of bad signature with a 401 that says which, and no secret', async () => {
    const created = await createToken(user);
    const { id, secret } = parseToken(created.token) ?? { id: '', secret: '' };
    const client = stack.client();
    const send = (authorization: string, path = '/v1/account', method = 'GET', body?: string) =>
      client.request(method, path, body, { authorization, ...(body ? { 'content-type': 'application/json' } : {}) });

    const refusals: Array<[string, ApiResponse]> = [
      ['MALFORMED_SIGNATURE', await send(`KEYWARD-HMAC-SHA256 Credential=kwt_${id},Signature=abc`)],
      ['STALE_SIGNATURE', await send(signRequest(created.token, { method: 'GET', url: '/v1/account' }, new Date(Date.now() - 301_000)))],
      ['STALE_SIGNATURE', await send(signRequest(created.token, { method: 'GET', url: '/v1/account' }, new Date(Date.now() + 301_000)))],
      ['UNKNOWN_TOKEN', await send(signRequest(`kwt_0000000000000000_${secret}`, { method: 'GET', url: '/v1/account' }))],
      // Signed for another path, another body, another secret.
      ['BAD_SIGNATURE', await send(signRequest(created.token, { method: 'GET', url: '/v1/user' }))],
      [
        'BAD_SIGNATURE',
        await send(signRequest(created.token, { method: 'POST', url: '/v1/projects', body: '{"name":"a"}' }), '/v1/projects', 'POST', '{"name":"b"}'),
      ],
      ['BAD_SIGNATURE', await send(signRequest(`kwt_${id}_${'0'.repeat(64)}`, { method: 'GET', url: '/v1/account?x=1' }), '/v1/account?x=1')],
    ];
    for (const [code, response] of refusals) {
      expect({ code, status: response.status }).toEqual({ code: errorCodeOf(response), status: 401 });
      expect(response.headers.get('www-authenticate')).toContain('KEYWARD-HMAC-SHA256');
      expect(JSON.stringify(response.body)).not.toContain(secret);
    }
    expect(await stack.flushedLogs()).not.toContain(secret);
  });

  it('refuses a signature seen before, also when the copies race on two replicas', async () => {
    const created = await createToken(user);
    const header = signRequest(created.token, { method: 'GET', url: '/v1/account?race=1' });
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => stack.client(i % 2).request('GET', '/v1/account?race=1', undefined, { authorization: header })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401]);
    expect(responses.filter((response) => response.status === 401).map(errorCodeOf)).toEqual(Array(5).fill('REPLAYED_SIGNATURE'));
    // The replay records are shared by every replica, and cheap to write: an UNLOGGED table (ADR 12).
    const [table] = await stack.database.query<{ relpersistence: string }>(
      `SELECT c.relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'identity' AND c.relname = 'signature_replays'`,
    );
    expect(table).toEqual({ relpersistence: 'u' });
  });

  it('takes a bearer token for curl, and refuses a wrong or malformed one', async () => {
    const created = await createToken(user);
    expect((await stack.client().withToken(created.token, 'bearer').get('/v1/account')).status).toBe(200);
    const wrong = await stack
      .client()
      .withToken(`kwt_${created.id}_${'f'.repeat(64)}`, 'bearer')
      .get('/v1/account');
    expect([wrong.status, errorCodeOf(wrong)]).toEqual([401, 'UNKNOWN_TOKEN']);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
    const malformed = await stack.client().request('GET', '/v1/account', undefined, { authorization: 'Bearer not-a-token' });
    expect([malformed.status, errorCodeOf(malformed)]).toEqual([401, 'UNKNOWN_TOKEN']);
  });

  it('refuses a read-only token on every write, signed or bearer, and stores nothing', async () => {
    const created = await createToken(user, { readOnly: true });
    expect(created.readOnly).toBe(true);
    for (const mode of ['sign', 'bearer'] as const) {
      const client = stack.client().withToken(created.token, mode);
      expect((await client.get('/v1/account')).status).toBe(200);
      const write = await client.post('/v1/projects', { name: `ro-${mode}` });
      expect([write.status, errorCodeOf(write)]).toEqual([403, 'READ_ONLY_TOKEN']);
      const token = await client.post('/v1/user/tokens', { name: 'escalate' });
      expect(token.status).toBe(403);
    }
    const projects = await stack.client().as(user).get<Array<{ name: string }>>('/v1/projects');
    expect(projects.body.map((project) => project.name)).not.toContain('ro-sign');
    expect(projects.body.map((project) => project.name)).not.toContain('ro-bearer');
  });

  it('refuses a revoked token on both replicas at the next request, and an expired one', async () => {
    const created = await createToken(user);
    const bearers = [stack.client(0).withToken(created.token, 'bearer'), stack.client(1).withToken(created.token, 'bearer')];
    // Both replicas now hold the token in their caches.
    expect(await Promise.all(bearers.map(async (client) => (await client.get('/v1/account')).status))).toEqual([200, 200]);

    expect((await stack.client(1).as(user).delete(`/v1/user/tokens/${created.id}`)).status).toBe(204);
    for (const client of [...bearers, stack.client(0).withToken(created.token), stack.client(1).withToken(created.token)]) {
      const refused = await client.get('/v1/account');
      expect([refused.status, errorCodeOf(refused)]).toEqual([401, 'REVOKED_TOKEN']);
    }
    expect((await stack.client().as(user).get<ApiTokenView[]>('/v1/user/tokens')).body.map((token) => token.id)).not.toContain(created.id);
    expect((await stack.client().as(user).delete(`/v1/user/tokens/${created.id}`)).status).toBe(404);

    const expiring = await createToken(user);
    await sql(`UPDATE identity.api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.id]);
    const expired = await stack.client().withToken(expiring.token).get('/v1/account');
    expect([expired.status, errorCodeOf(expired)]).toEqual([401, 'EXPIRED_TOKEN']);
    expect((expired.body as { message: string }).message).toMatch(/expired at \d{4}-\d\d-\d\dT/);
  });

  it('lets administrators list and revoke anyone’s tokens, and nobody else', async () => {
    const other = await stack.newUser(account);
    const created = await createToken(other, { name: 'other-ci' });
    const admin = stack.adminClient();

    const listed = await admin.get<ApiTokenView[]>(`/v1/admin/tokens?username=${other.username}`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((token) => token.name)).toEqual(['other-ci']);

    const peek = await stack.client().as(user).get('/v1/admin/tokens');
    expect(peek.status).toBe(403);
    const steal = await stack.client().as(user).delete(`/v1/user/tokens/${created.id}`);
    expect([steal.status, errorCodeOf(steal)]).toEqual([404, 'TOKEN_NOT_FOUND']);
    expect((await stack.client().as(user).delete(`/v1/admin/tokens/${created.id}`)).status).toBe(403);

    expect((await admin.delete(`/v1/admin/tokens/${created.id}`)).status).toBe(204);
    expect((await stack.client().withToken(created.token).get('/v1/account')).status).toBe(401);
  });

  it('stops a token when its account is disabled or its user deleted', async () => {
    const otherAccount = await stack.newAccount();
    const owner = await stack.newUser(otherAccount);
    const created = await createToken(owner);
    const client: ApiClient = stack.client().withToken(created.token, 'bearer');
    expect((await client.get('/v1/account')).status).toBe(200);

    await stack.adminClient().put(`/v1/accounts/${otherAccount}/state`, { state: 'disabled' });
    const disabled = await client.get('/v1/account');
    expect([disabled.status, errorCodeOf(disabled)]).toEqual([403, 'ACCOUNT_NOT_ENABLED']);
    await stack.adminClient().put(`/v1/accounts/${otherAccount}/state`, { state: 'enabled' });
    expect((await client.get('/v1/account')).status).toBe(200);

    expect((await stack.adminClient().delete(`/v1/accounts/${otherAccount}/users/${owner.username}`)).status).toBe(204);
    const gone = await client.get('/v1/account');
    expect([gone.status, errorCodeOf(gone)]).toEqual([401, 'UNKNOWN_TOKEN']);
  });

  it('gives the console a session that ends on sign-out and on a password change, not API tokens', async () => {
    const owner = await stack.newUser(account);
    const apiToken = await createToken(owner);
    const signIn = await stack.client().as(owner).post<{ token: string; username: string; account: string; expires_at: string }>('/v1/session', {});
    expect(signIn.status).toBe(201);
    expect(signIn.body).toMatchObject({ username: owner.username, account, accountType: 'user', superuser: false, staff: false });
    const hours = (Date.parse(signIn.body.expires_at) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    // Sessions are not API tokens: the token page does not list them.
    expect((await stack.client().as(owner).get<ApiTokenView[]>('/v1/user/tokens')).body.map((token) => token.id)).toEqual([apiToken.id]);

    const session = stack.client().withToken(signIn.body.token, 'bearer');
    expect((await session.get('/v1/account')).status).toBe(200);
    expect((await session.delete('/v1/session')).status).toBe(204);
    expect(errorCodeOf(await session.get('/v1/account'))).toBe('REVOKED_TOKEN');

    const second = await stack.client().as(owner).post<{ token: string }>('/v1/session', {});
    const onBoth = [stack.client(0).withToken(second.body.token, 'bearer'), stack.client(1).withToken(second.body.token, 'bearer')];
    expect(await Promise.all(onBoth.map(async (client) => (await client.get('/v1/account')).status))).toEqual([200, 200]);
    expect((await stack.client().as(owner).post('/v1/user/credentials', { type: 'password', value: 'a-changed-password' })).status).toBe(200);
    expect(await Promise.all(onBoth.map(async (client) => errorCodeOf(await client.get('/v1/account'))))).toEqual(['REVOKED_TOKEN', 'REVOKED_TOKEN']);
    // The API token outlives the password change.
    expect((await stack.client().withToken(apiToken.token).get('/v1/account')).status).toBe(200);

    // An API token cannot be ended as if it were a session.
    const notSession = await stack.client().withToken(apiToken.token, 'bearer').delete('/v1/session');
    expect(notSession.status).toBe(404);
    // (A query parameter of its own: the same signed request within a second would be a replay.)
    expect((await stack.client().withToken(apiToken.token).get('/v1/account?after=sign-out')).status).toBe(200);
  });
});
