import { type ApiClient, eventually, TestStack } from '@keyward/testing';

/** Two gateway processes, each with its own credential cache and account resolutions: a change made through one is enforced by both at once. */
describe('two gateway replicas', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ gateways: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const statuses = async (clients: ApiClient[]) => Promise.all(clients.map(async (c) => (await c.get('/v1/account')).status));

  it('enforces a disable on both replicas at the next request', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const onBoth = [stack.client(0).as(user), stack.client(1).as(user)];
    expect(await statuses(onBoth)).toEqual([200, 200]);

    expect((await stack.adminClient(0).put(`/v1/accounts/${account}/state`, { state: 'disabled' })).status).toBe(200);
    expect(await statuses(onBoth)).toEqual([403, 403]);

    expect((await stack.adminClient(1).put(`/v1/accounts/${account}/state`, { state: 'enabled' })).status).toBe(200);
    expect(await statuses(onBoth)).toEqual([200, 200]);
  });

  it('enforces a password change on both replicas at the next request', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const old = [stack.client(0).as(user), stack.client(1).as(user)];
    expect(await statuses(old)).toEqual([200, 200]);

    const changed = await stack.client(1).as(user).post('/v1/user/credentials', { type: 'password', value: 'brand-new-password' });
    expect(changed.status).toBe(200);
    expect(await statuses(old)).toEqual([401, 401]);
    const renewed = { username: user.username, password: 'brand-new-password' };
    expect(await statuses([stack.client(0).as(renewed), stack.client(1).as(renewed)])).toEqual([200, 200]);
  });

  it('enforces a password reset by an administrator and a user deletion on both replicas', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const onBoth = [stack.client(0).as(user), stack.client(1).as(user)];
    expect(await statuses(onBoth)).toEqual([200, 200]);
    await stack.adminClient(0).post(`/v1/accounts/${account}/users/${user.username}/credentials`, { type: 'password', value: 'reset-by-admin' });
    expect(await statuses(onBoth)).toEqual([401, 401]);

    const reset = { username: user.username, password: 'reset-by-admin' };
    const resetOnBoth = [stack.client(0).as(reset), stack.client(1).as(reset)];
    expect(await statuses(resetOnBoth)).toEqual([200, 200]);
    await stack.adminClient(1).delete(`/v1/accounts/${account}/users/${user.username}`);
    expect(await statuses(resetOnBoth)).toEqual([401, 401]);
  });

  it('acts in an account deleted and created again under its name through both replicas, never in the old one', async () => {
    const account = await stack.newAccount();
    const names = async (replica: number) => {
      const page = await stack.adminClient(replica).inAccount(account).get<{ name: string }[]>('/v1/credentials');
      expect(page.status).toBe(200);
      return page.body.map((c) => c.name);
    };
    const create = async (name: string) =>
      expect(
        (
          await stack
            .adminClient(0)
            .inAccount(account)
            .post('/v1/credentials', { name, type: 'password', scope: 'all', values: { username: 'u', password: 'p' } })
        ).status,
      ).toBe(201);
    await create('first');
    // Replica 1 resolves the account's name once and keeps the answer.
    expect(await names(1)).toEqual(['first']);
    expect(await names(1)).toEqual(['first']);

    expect((await stack.adminClient(0).put(`/v1/accounts/${account}/state`, { state: 'disabled' })).status).toBe(200);
    expect((await stack.adminClient(0).delete(`/v1/accounts/${account}`)).body).toEqual({ state: 'deleting' });
    await eventually(
      'the account to be gone',
      async () => ((await stack.adminClient(0).get(`/v1/accounts/${account}`)).status === 404 ? true : undefined),
      30_000,
      100,
    );
    expect((await stack.adminClient(0).post('/v1/accounts', { name: account })).status).toBe(200);
    await create('second');
    expect(await names(1)).toEqual(['second']);
  });
});
