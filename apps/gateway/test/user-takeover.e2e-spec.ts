import { type CreatedTokenView } from '@keyward/contracts';
import { type ApiClient, type ApiResponse, type Credentials, errorCodeOf, randomPassword, TestStack } from '@keyward/testing';

/**
 * Taking over a better-placed user: a plain user setting a superuser's password, a stolen session
 * or token turned into a password or into fresh sessions, an administrator ending every token of
 * a user at once, all through the gateway.
 */
describe('no escalation by taking over another user or a token', () => {
  let stack: TestStack;
  let account: string;
  let carol: Credentials;
  let sam: Credentials;
  let mallory: Credentials;
  let bob: Credentials;

  beforeAll(async () => {
    stack = await TestStack.start();
    account = await stack.newAccount();
    [carol, sam, mallory, bob] = await Promise.all([1, 2, 3, 4].map(() => stack.newUser(account)));
    const admin = stack.adminClient();
    expect((await admin.request('PATCH', `/v1/admin/users/${carol.username}`, { superuser: true })).status).toBe(200);
    expect((await admin.request('PATCH', `/v1/admin/users/${sam.username}`, { staff: true })).status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const as = (who: Credentials): ApiClient => stack.client().as(who);
  const setPassword = (client: ApiClient, username: string, body: Record<string, unknown>) =>
    client.post(`/v1/accounts/${account}/users/${username}/credentials`, { type: 'password', ...body });

  async function apiToken(owner: Credentials): Promise<string> {
    const created = await as(owner).post<CreatedTokenView>('/v1/user/tokens', { name: `t${Math.random().toString(36).slice(2, 10)}` });
    expect(created.status).toBe(201);
    return created.body.token;
  }

  async function session(owner: Credentials): Promise<string> {
    const created = await as(owner).post<{ token: string }>('/v1/session', {});
    expect(created.status).toBe(201);
    return created.body.token;
  }

  describe('the role hierarchy inside an account', () => {
    it('keeps a plain user from setting a superuser’s password, deleting it or its password', async () => {
      const taken = await setPassword(as(mallory), carol.username, { value: 'mallory-owns-carol' });
      expect(taken.status).toBe(403);
      expect(errorCodeOf(taken)).toBe('FORBIDDEN');
      expect((taken.body as { message: string }).message).toContain('requires the superuser role');
      expect((await as(mallory).delete(`/v1/accounts/${account}/users/${carol.username}`)).status).toBe(403);
      expect((await as(mallory).delete(`/v1/accounts/${account}/users/${carol.username}/credentials?credential_type=password`)).status).toBe(403);
      // Carol is untouched: her own password still works and she is still an administrator.
      expect((await stack.client().as({ username: carol.username, password: 'mallory-owns-carol' }).get('/v1/accounts')).status).toBe(401);
      expect((await as(carol).get('/v1/accounts')).status).toBe(200);
    });

    it('keeps a plain user off staff too', async () => {
      expect((await setPassword(as(mallory), sam.username, { value: 'mallory-owns-sam' })).status).toBe(403);
      expect((await as(mallory).delete(`/v1/accounts/${account}/users/${sam.username}`)).status).toBe(403);
      expect((await as(sam).get('/v1/accounts')).status).toBe(200);
    });

    it('still lets users of an account manage its plain users, superusers anyone, and everyone itself', async () => {
      const bobsNew = randomPassword();
      expect((await setPassword(as(mallory), bob.username, { value: bobsNew })).status).toBe(200);
      bob = { ...bob, password: bobsNew };
      expect((await as(bob).get('/v1/account')).status).toBe(200);
      const samsNew = randomPassword();
      expect((await setPassword(as(carol), sam.username, { value: samsNew })).status).toBe(200);
      sam = { ...sam, password: samsNew };
      const mallorysNew = randomPassword();
      expect((await as(mallory).post('/v1/user/credentials', { type: 'password', value: mallorysNew })).status).toBe(200);
      mallory = { ...mallory, password: mallorysNew };
      expect((await as(mallory).get('/v1/account')).status).toBe(200);
    });
  });

  describe('sessions and tokens', () => {
    it('starts a session from a password only, never from a session or a token', async () => {
      const fromSession = await stack
        .client()
        .withToken(await session(bob), 'bearer')
        .post('/v1/session', {});
      expect(fromSession.status).toBe(403);
      expect(errorCodeOf(fromSession)).toBe('PASSWORD_REQUIRED');
      const fromToken = await stack
        .client()
        .withToken(await apiToken(bob), 'bearer')
        .post('/v1/session', {});
      expect(errorCodeOf(fromToken)).toBe('PASSWORD_REQUIRED');
    });

    it('asks a session or a token for the current password before changing its own, and throttles guesses', async () => {
      const user = await stack.newUser(account);
      const viaSession = stack.client().withToken(await session(user), 'bearer');
      const viaToken = stack.client().withToken(await apiToken(user), 'bearer');
      for (const client of [viaSession, viaToken]) {
        const missing = await client.post('/v1/user/credentials', { type: 'password', value: 'taken-over-1' });
        expect(missing.status).toBe(400);
        expect(errorCodeOf(missing)).toBe('CURRENT_PASSWORD_REQUIRED');
        const wrong = await setPassword(client, user.username, { value: 'taken-over-2', currentPassword: 'a-guess' });
        expect(wrong.status).toBe(403);
        expect(errorCodeOf(wrong)).toBe('CURRENT_PASSWORD_INCORRECT');
      }
      expect((await as(user).get('/v1/account')).status).toBe(200);
      // The API token keeps working; the password change ends the session.
      const changed = randomPassword();
      expect((await viaToken.post('/v1/user/credentials', { type: 'password', value: changed, currentPassword: user.password })).status).toBe(200);
      expect(errorCodeOf(await viaSession.get('/v1/account'))).toBe('REVOKED_TOKEN');
      expect((await viaToken.get('/v1/account')).status).toBe(200);
      expect(
        (
          await stack
            .client()
            .as({ ...user, password: changed })
            .get('/v1/account')
        ).status,
      ).toBe(200);

      // Guessing the current password through a token is throttled like guessing it at login.
      let throttled: ApiResponse | undefined;
      for (let attempt = 0; attempt < 30 && !throttled; attempt += 1) {
        const guess = await viaToken.post('/v1/user/credentials', { type: 'password', value: 'taken-over-3', currentPassword: `guess-${attempt}` });
        if (guess.status === 429) throttled = guess;
      }
      expect(throttled && errorCodeOf(throttled)).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    });

    it('revokes the API tokens too when asked, with revokeTokens', async () => {
      const user = await stack.newUser(account);
      const token = stack.client().withToken(await apiToken(user), 'bearer');
      expect((await token.get('/v1/account')).status).toBe(200);
      expect((await as(user).post('/v1/user/credentials', { type: 'password', value: randomPassword(), revokeTokens: true })).status).toBe(200);
      expect(errorCodeOf(await token.get('/v1/account'))).toBe('REVOKED_TOKEN');
    });

    it('lets an administrator end every token and session of a user in one call', async () => {
      const user = await stack.newUser(account);
      const clients = [
        stack.client().withToken(await apiToken(user), 'bearer'),
        stack.client().withToken(await apiToken(user), 'bearer'),
        stack.client().withToken(await session(user), 'bearer'),
      ];
      expect(await Promise.all(clients.map(async (client) => (await client.get('/v1/account')).status))).toEqual([200, 200, 200]);

      expect((await as(mallory).delete(`/v1/admin/users/${user.username}/tokens`)).status).toBe(403);
      expect((await as(sam).delete(`/v1/admin/users/${user.username}/tokens`)).status).toBe(403);
      expect(errorCodeOf(await stack.adminClient().delete('/v1/admin/users/nosuchuser/tokens'))).toBe('USER_NOT_FOUND');
      const revoked = await stack.adminClient().delete(`/v1/admin/users/${user.username}/tokens`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ revoked: 3 });
      expect(await Promise.all(clients.map(async (client) => errorCodeOf(await client.get('/v1/account'))))).toEqual([
        'REVOKED_TOKEN',
        'REVOKED_TOKEN',
        'REVOKED_TOKEN',
      ]);
      // The password still works, and a second call has nothing left to revoke.
      expect((await as(user).get('/v1/account')).status).toBe(200);
      expect((await as(carol).delete(`/v1/admin/users/${user.username}/tokens`)).body).toEqual({ revoked: 0 });
    });

    it('never answers from the cache for a token past its expiry', async () => {
      const user = await stack.newUser(account);
      const token = await apiToken(user);
      // The token ends two seconds from now; the gateway's cache would keep it for a minute.
      await stack.database.query(`UPDATE identity.api_tokens SET expires_at = now() + interval '2 seconds' WHERE id = $1`, [token.split('_')[1]]);
      const client = stack.client().withToken(token, 'bearer');
      expect((await client.get('/v1/account')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(errorCodeOf(await client.get('/v1/account'))).toBe('EXPIRED_TOKEN');
    });
  });
});
