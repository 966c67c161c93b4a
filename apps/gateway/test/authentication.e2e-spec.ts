import { type AccountView } from '@keyward/contracts';
import { TestStack } from '@keyward/testing';
import { connect, type NatsConnection } from 'nats';

describe('authentication and authorization', () => {
  let stack: TestStack;
  let nats: NatsConnection;

  beforeAll(async () => {
    stack = await TestStack.start({ identityEnv: { KEYWARD_LOGIN_MAX_FAILURES: '3' } });
    nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
  });

  afterAll(async () => {
    await nats?.close();
    await stack?.stop();
  });

  describe('HTTP Basic', () => {
    it('answers 401 with WWW-Authenticate, the same for an unknown user and a wrong password', async () => {
      const account = await stack.newAccount();
      const user = await stack.newUser(account);
      const missing = await stack.client().get('/v1/account');
      const wrong = await stack.client().as({ username: user.username, password: 'wrong-password' }).get('/v1/account');
      const unknown = await stack.client().as({ username: 'nosuchuser1', password: 'wrong-password' }).get('/v1/account');
      for (const response of [missing, wrong, unknown]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="Authentication required"');
        expect(response.body).toEqual({ message: 'Unauthorized', httpcode: 401, detail: { error_codes: ['UNAUTHORIZED'] } });
      }
    });

    it('takes a password with colons in it (split at the first colon, RFC 7617)', async () => {
      const account = await stack.newAccount();
      const user = { username: `colon${Date.now()}`, password: 'pa:ss:word-with:colons' };
      expect((await stack.adminClient().post(`/v1/accounts/${account}/users`, user)).status).toBe(200);
      const me = await stack.client().as(user).get<AccountView>('/v1/account');
      expect(me.status).toBe(200);
      expect(me.body.name).toBe(account);
      // Only the whole password: its part before a colon is a wrong one.
      expect((await stack.client().as({ username: user.username, password: 'pa' }).get('/v1/account')).status).toBe(401);
    });

    it('verifies a password with identity once, then serves it from the cache', async () => {
      const account = await stack.newAccount();
      const user = await stack.newUser(account);
      let verifications = 0;
      const subscription = nats.subscribe(`${stack.env['KEYWARD_NATS_PREFIX']}.identity.auth.verify`, {
        callback: () => {
          verifications += 1;
        },
      });
      await nats.flush();
      const client = stack.client().as(user);
      for (let i = 0; i < 20; i += 1) {
        expect((await client.get('/v1/account')).status).toBe(200);
      }
      await nats.flush();
      subscription.unsubscribe();
      expect(verifications).toBe(1);
    });

    it('throttles repeated failed logins with 429 and Retry-After, even for the right password', async () => {
      const account = await stack.newAccount();
      const user = await stack.newUser(account);
      const wrong = stack.client().as({ username: user.username, password: 'not-the-password' });
      for (let i = 0; i < 3; i += 1) {
        expect((await wrong.get('/v1/account')).status).toBe(401);
      }
      const throttled = await stack.client().as(user).get<{ detail: { error_codes: string[] } }>('/v1/account');
      expect(throttled.status).toBe(429);
      expect(throttled.body.detail.error_codes).toEqual(['TOO_MANY_LOGIN_ATTEMPTS']);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      // Other users are not locked out by someone guessing this one's password.
      const other = await stack.newUser(account);
      expect((await stack.client().as(other).get('/v1/account')).status).toBe(200);
    });
  });

  describe('authorization', () => {
    it('gives a user full control of its own account', async () => {
      const account = await stack.newAccount();
      const owner = stack.client().as(await stack.newUser(account));
      expect((await owner.get<AccountView>(`/v1/accounts/${account}`)).body.name).toBe(account);
      const added = await owner.post(`/v1/accounts/${account}/users`, { username: `${account}-helper`, password: 'password123' });
      expect(added.status).toBe(200);
      expect((await owner.get(`/v1/accounts/${account}/users`)).status).toBe(200);
      expect((await owner.post(`/v1/accounts/${account}/users/${account}-helper/credentials`, { type: 'password', value: 'password456' })).status).toBe(200);
      expect((await owner.delete(`/v1/accounts/${account}/users/${account}-helper`)).status).toBe(204);
    });

    it('answers 403 elsewhere, the same whether the other account exists or not', async () => {
      const account = await stack.newAccount();
      const other = await stack.newAccount();
      const owner = stack.client().as(await stack.newUser(account));
      const toExisting = await owner.get<{ message: string }>(`/v1/accounts/${other}/users`);
      const toMissing = await owner.get<{ message: string }>('/v1/accounts/nosuchaccount/users');
      expect(toExisting.status).toBe(403);
      expect(toMissing.status).toBe(403);
      expect(toExisting.body.message).toBe(`Not authorized. Requires permissions: domain=${other} action=listUsers target=*`);
      expect(toMissing.body.message).toBe('Not authorized. Requires permissions: domain=nosuchaccount action=listUsers target=*');
      for (const response of [
        await owner.get('/v1/accounts'),
        await owner.post('/v1/accounts', { name: 'sneaky1' }),
        await owner.put(`/v1/accounts/${account}/state`, { state: 'disabled' }),
        await owner.delete(`/v1/accounts/${other}`),
        await owner.post(`/v1/accounts/${other}/users`, { username: 'intruder1', password: 'password123' }),
        await owner.inAccount(other).get('/v1/account'),
      ]) {
        expect(response.status).toBe(403);
      }
      expect((await stack.adminClient().get(`/v1/accounts/${other}/users/intruder1`)).status).toBe(404);
    });

    it('lets an administrator act in another account with x-anchore-account', async () => {
      const account = await stack.newAccount();
      const response = await stack.adminClient().inAccount(account).get<AccountView>('/v1/account');
      expect(response.status).toBe(200);
      expect(response.body.name).toBe(account);
      expect((await stack.adminClient().inAccount('nosuchaccount').get('/v1/account')).status).toBe(404);
    });

    it('refuses every call by a user of a disabled account, and takes it back on enable', async () => {
      const account = await stack.newAccount();
      const user = stack.client().as(await stack.newUser(account));
      expect((await user.get('/v1/account')).status).toBe(200);
      await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'disabled' });
      for (const response of [await user.get('/v1/account'), await user.get('/v1/user'), await user.get(`/v1/accounts/${account}/users`)]) {
        expect(response.status).toBe(403);
        expect(response.body).toEqual({
          message: `Not authorized. Account ${account} not enabled.`,
          httpcode: 403,
          detail: { error_codes: ['ACCOUNT_NOT_ENABLED'] },
        });
      }
      // The ping is public, as Anchore's: it answers whoever asks.
      expect((await user.get('/v1')).status).toBe(200);
      await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'enabled' });
      expect((await user.get('/v1/account')).status).toBe(200);
    });

    it('refuses a deleted user at its very next request', async () => {
      const account = await stack.newAccount();
      const credentials = await stack.newUser(account);
      const user = stack.client().as(credentials);
      expect((await user.get('/v1/account')).status).toBe(200);
      expect((await stack.adminClient().delete(`/v1/accounts/${account}/users/${credentials.username}`)).status).toBe(204);
      expect((await user.get('/v1/account')).status).toBe(401);
    });
  });
});
