import { type AccountView } from '@keyward/contracts';
import { type ApiResponse, TestStack } from '@keyward/testing';

interface ErrorBody {
  message: string;
  httpcode: number;
  detail: { error_codes: string[] };
}

function expectError(response: ApiResponse, status: number, code: string, message?: string | RegExp): void {
  const body = response.body as ErrorBody;
  expect({ status: response.status, code: body.detail?.error_codes?.[0] }).toEqual({ status, code });
  expect(body.httpcode).toBe(status);
  if (typeof message === 'string') expect(body.message).toBe(message);
  if (message instanceof RegExp) expect(body.message).toMatch(message);
}

describe('accounts and users: error paths', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // No reaper: deleted accounts stay in `deleting`, where these tests look at them.
    stack = await TestStack.start({ reapers: 0 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('account creation', () => {
    it.each(['admin', 'system', 'keyward-system', 'anchore-system'])('refuses the reserved name %s', async (name) => {
      expectError(await stack.adminClient().post('/v1/accounts', { name }), 400, 'RESERVED_NAME', `Invalid account request: Cannot use name ${name}`);
    });

    it.each([['ab'], ['-abc'], ['abc-'], ['a b c'], ['x'.repeat(129)]])('refuses the invalid name %j', async (name) => {
      expectError(await stack.adminClient().post('/v1/accounts', { name }), 400, 'VALIDATION_FAILED', /^Validation failed: Account name must be 3 to 128/);
    });

    it('refuses a missing name, another type and a bad email, naming the field', async () => {
      expectError(await stack.adminClient().post('/v1/accounts', {}), 400, 'BAD_REQUEST', 'Invalid account request: "name" is required');
      expectError(
        await stack.adminClient().post('/v1/accounts', { name: 'typed1', type: 'admin' }),
        400,
        'BAD_REQUEST',
        'Invalid account request: Account type must be "user", found: admin',
      );
      expectError(await stack.adminClient().post('/v1/accounts', { name: 'mailer1', email: 'not-an-email' }), 400, 'VALIDATION_FAILED', /email/);
      expectError(await stack.adminClient().post('/v1/accounts', ['name']), 400, 'BAD_REQUEST', 'Request body must be a JSON object');
      expectError(await stack.adminClient().post('/v1/accounts', '{"name": '), 400, 'MALFORMED_BODY');
    });

    it('refuses a duplicate and keeps the first', async () => {
      expect((await stack.adminClient().post('/v1/accounts', { name: 'dupe1', email: 'first@example.test' })).status).toBe(200);
      expectError(
        await stack.adminClient().post('/v1/accounts', { name: 'dupe1', email: 'second@example.test' }),
        400,
        'ACCOUNT_ALREADY_EXISTS',
        'Account already exists',
      );
      expect((await stack.adminClient().get<AccountView>('/v1/accounts/dupe1')).body.email).toBe('first@example.test');
    });

    it('creates exactly one account when the same name is posted concurrently', async () => {
      const responses = await Promise.all(Array.from({ length: 8 }, () => stack.adminClient().post('/v1/accounts', { name: 'racer1' })));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      for (const refused of responses.filter((r) => r.status !== 200)) {
        expectError(refused, 400, 'ACCOUNT_ALREADY_EXISTS');
      }
    });
  });

  describe('account state', () => {
    it('refuses to disable or delete the admin account', async () => {
      expectError(
        await stack.adminClient().put('/v1/accounts/admin/state', { state: 'disabled' }),
        400,
        'PROTECTED_ACCOUNT',
        'Cannot disable the admin account',
      );
      expectError(await stack.adminClient().delete('/v1/accounts/admin'), 400, 'PROTECTED_ACCOUNT', 'Account cannot be deleted');
      expect((await stack.adminClient().get<AccountView>('/v1/account')).body.state).toBe('enabled');
    });

    it('refuses unknown states and moves out of deleting', async () => {
      const name = await stack.newAccount();
      expectError(await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'deleting' }), 400, 'VALIDATION_FAILED', /state must be one of/);
      expectError(await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'paused' }), 400, 'VALIDATION_FAILED');
      await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' });
      expect((await stack.adminClient().delete(`/v1/accounts/${name}`)).status).toBe(200);
      expectError(
        await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'enabled' }),
        400,
        'INVALID_STATE_CHANGE',
        'Invalid account state change requested. Cannot go from state deleting to state enabled',
      );
      // deleting is terminal, as in Anchore: neither a state change nor a second DELETE.
      expectError(
        await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' }),
        400,
        'INVALID_STATE_CHANGE',
        'Invalid account state change requested. Cannot go from state deleting to state disabled',
      );
      expectError(
        await stack.adminClient().delete(`/v1/accounts/${name}`),
        400,
        'INVALID_STATE_CHANGE',
        'Invalid account state change requested. Cannot go from state deleting to state deleting',
      );
    });

    it('answers 404 for accounts that do not exist, and hides the system account', async () => {
      expectError(await stack.adminClient().get('/v1/accounts/nosuchaccount'), 404, 'ACCOUNT_NOT_FOUND', 'Account not found');
      expectError(await stack.adminClient().put('/v1/accounts/nosuchaccount/state', { state: 'disabled' }), 404, 'ACCOUNT_NOT_FOUND');
      expectError(await stack.adminClient().delete('/v1/accounts/nosuchaccount'), 404, 'ACCOUNT_NOT_FOUND');
      expectError(await stack.adminClient().get('/v1/accounts/keyward-system'), 404, 'ACCOUNT_NOT_FOUND');
      expectError(await stack.adminClient().get('/v1/accounts/keyward-system/users'), 404, 'ACCOUNT_NOT_FOUND');
      expectError(await stack.adminClient().delete('/v1/accounts/keyward-system'), 404, 'ACCOUNT_NOT_FOUND');
    });
  });

  describe('account deletion', () => {
    it('deletes the users and their passwords and records the deletion in the outbox, in one go', async () => {
      const name = await stack.newAccount();
      const users = [await stack.newUser(name), await stack.newUser(name)];
      await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' });
      expect((await stack.adminClient().delete(`/v1/accounts/${name}`)).body).toEqual({ state: 'deleting' });

      const rows = await stack.database.query<{ state: string; users: string; passwords: string; events: string }>(
        `SELECT a.state,
                (SELECT count(*) FROM identity.users u WHERE u.account_id = a.id) AS users,
                (SELECT count(*) FROM identity.password_credentials p JOIN identity.users u ON u.id = p.user_id WHERE u.account_id = a.id) AS passwords,
                (SELECT count(*) FROM identity.outbox o WHERE o.subject = 'identity.account.deleting' AND o.payload->>'accountId' = a.id::text) AS events
           FROM identity.accounts a WHERE a.name = $1`,
        [name],
      );
      expect(rows).toEqual([{ state: 'deleting', users: '0', passwords: '0', events: '1' }]);
      for (const user of users) {
        expect((await stack.client().as(user).get('/v1/account')).status).toBe(401);
      }
      // The name stays taken while the account is being deleted.
      expectError(await stack.adminClient().post('/v1/accounts', { name }), 400, 'ACCOUNT_ALREADY_EXISTS');
      expectError(await stack.adminClient().post(`/v1/accounts/${name}/users`, { username: 'lateuser1', password: 'password123' }), 400, 'BAD_REQUEST');
    });
  });

  describe('users', () => {
    it('refuses invalid usernames, short passwords and duplicates across accounts', async () => {
      const first = await stack.newAccount();
      const second = await stack.newAccount();
      expectError(
        await stack.adminClient().post(`/v1/accounts/${first}/users`, { username: 'x', password: 'password123' }),
        400,
        'VALIDATION_FAILED',
        /^Validation failed: username must be/,
      );
      expectError(
        await stack.adminClient().post(`/v1/accounts/${first}/users`, { username: 'shorty1', password: '12345' }),
        400,
        'VALIDATION_FAILED',
        /6 to 128/,
      );
      expectError(await stack.adminClient().post(`/v1/accounts/${first}/users`, { username: 'nopass1' }), 400, 'VALIDATION_FAILED', /password/);
      expect((await stack.adminClient().post(`/v1/accounts/${first}/users`, { username: 'unique1', password: 'password123' })).status).toBe(200);
      expectError(
        await stack.adminClient().post(`/v1/accounts/${second}/users`, { username: 'unique1', password: 'password123' }),
        400,
        'USER_ALREADY_EXISTS',
        'User already exists',
      );
      expectError(
        await stack.adminClient().post('/v1/accounts/nosuchaccount/users', { username: 'orphan1', password: 'password123' }),
        404,
        'ACCOUNT_NOT_FOUND',
      );
    });

    it('answers User not found for a user of another account', async () => {
      const first = await stack.newAccount();
      const second = await stack.newAccount();
      const user = await stack.newUser(first);
      expectError(await stack.adminClient().get(`/v1/accounts/${second}/users/${user.username}`), 404, 'USER_NOT_FOUND', 'User not found');
      expectError(await stack.adminClient().delete(`/v1/accounts/${second}/users/${user.username}`), 404, 'USER_NOT_FOUND');
    });

    it('protects the admin user and refuses deleting yourself or your own credential', async () => {
      const account = await stack.newAccount();
      const owner = await stack.newUser(account);
      const ownerClient = stack.client().as(owner);
      expectError(
        await stack.adminClient().delete('/v1/accounts/admin/users/admin'),
        400,
        'PROTECTED_USER',
        'User not allowed to be deleted due to system constraints',
      );
      expectError(
        await ownerClient.delete(`/v1/accounts/${account}/users/${owner.username}`),
        400,
        'SELF_DELETION',
        'Cannot delete credential used for authentication of the request',
      );
      expectError(
        await ownerClient.delete(`/v1/accounts/${account}/users/${owner.username}/credentials?credential_type=password`),
        400,
        'SELF_DELETION',
        'Cannot delete credential of authenticated user',
      );
      expect((await ownerClient.get('/v1/account')).status).toBe(200);
    });

    it('manages credentials: type checks, masked listing, delete', async () => {
      const account = await stack.newAccount();
      const user = await stack.newUser(account);
      const path = `/v1/accounts/${account}/users/${user.username}/credentials`;
      expectError(await stack.adminClient().post(path, { type: 'token', value: 'abcdefgh' }), 400, 'INVALID_CREDENTIAL_TYPE', 'Invalid credential type');
      expectError(
        await stack.adminClient().post(path, { type: 'password', value: '' }),
        400,
        'VALIDATION_FAILED',
        'Invalid credential value, must be non-null and non-empty',
      );
      expectError(await stack.adminClient().request('DELETE', path), 400, 'BAD_REQUEST', 'credential type must be specified');
      expectError(await stack.adminClient().request('DELETE', `${path}?credential_type=token`), 400, 'INVALID_CREDENTIAL_TYPE');

      const listed = await stack.adminClient().get<Array<{ type: string; value: string }>>(path);
      expect(listed.body).toEqual([{ type: 'password', value: '********', created_at: expect.any(String) }]);
      expect(JSON.stringify(listed.body)).not.toContain(user.password);

      expect((await stack.adminClient().request('DELETE', `${path}?credential_type=password`)).status).toBe(204);
      expect((await stack.adminClient().get(path)).body).toEqual([]);
      expect((await stack.client().as(user).get('/v1/account')).status).toBe(401);
    });
  });

  describe('pagination', () => {
    it('pages users with limit and offset and reports the total', async () => {
      const account = await stack.newAccount();
      const created: string[] = [];
      for (let i = 0; i < 5; i += 1) created.push((await stack.newUser(account)).username);
      const first = await stack.adminClient().get<Array<{ username: string }>>(`/v1/accounts/${account}/users?limit=2`);
      const rest = await stack.adminClient().get<Array<{ username: string }>>(`/v1/accounts/${account}/users?limit=10&offset=2`);
      expect(first.headers.get('x-total-count')).toBe('5');
      expect([...first.body, ...rest.body].map((u) => u.username)).toEqual(created);
      expectError(
        await stack.adminClient().get(`/v1/accounts/${account}/users?limit=0`),
        400,
        'VALIDATION_FAILED',
        /^Invalid query parameter limit: must be a whole number from 1 to/,
      );
      expectError(await stack.adminClient().get(`/v1/accounts?offset=-1`), 400, 'VALIDATION_FAILED', /^Invalid query parameter offset: must be a whole number/);
    });
  });
});
