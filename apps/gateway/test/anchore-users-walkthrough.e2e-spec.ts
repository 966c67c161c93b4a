import { type AccountView, type CredentialView, type UserView } from '@keyward/contracts';
import { TestStack } from '@keyward/testing';

/** The walkthrough's second half: users, whoami as them, password changes. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('Anchore walkthrough: users', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ identityEnv: { KEYWARD_ADMIN_EMAIL: 'admin@myanchore' } });
    await stack.adminClient().post('/v1/accounts', { name: 'account1', email: 'account1admin@anchorexample.com' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const whoami = async (username: string, password: string) => {
    const client = stack.client().as({ username, password });
    const [account, user] = await Promise.all([client.get<AccountView>('/v1/account'), client.get<UserView>('/v1/user')]);
    return { status: account.status, user: user.body, account: account.body };
  };

  it('anchore-cli account user add --account account1 user1 password123', async () => {
    const response = await stack.adminClient().post<UserView>('/v1/accounts/account1/users', { username: 'user1', password: 'password123' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      username: 'user1',
      type: 'native',
      source: null,
      created_at: expect.stringMatching(RFC3339),
      last_updated: expect.stringMatching(RFC3339),
    });
    expect(JSON.stringify(response.body)).not.toContain('password123');
  });

  it('anchore-cli account user list --account account1', async () => {
    const response = await stack.adminClient().get<UserView[]>('/v1/accounts/account1/users');
    expect(response.status).toBe(200);
    expect(response.body.map((u) => u.username)).toEqual(['user1']);
    expect(response.headers.get('x-total-count')).toBe('1');
  });

  it('anchore-cli --u user1 --p password123 account whoami', async () => {
    const result = await whoami('user1', 'password123');
    expect(result.status).toBe(200);
    expect(result.user.username).toBe('user1');
    expect(result.account).toMatchObject({ name: 'account1', email: 'account1admin@anchorexample.com', type: 'user' });
  });

  it('anchore-cli account user add admin2 password123 (in the admin account), then whoami as admin2', async () => {
    const added = await stack.adminClient().post<UserView>('/v1/accounts/admin/users', { username: 'admin2', password: 'password123' });
    expect(added.status).toBe(200);
    expect(added.body.username).toBe('admin2');
    const result = await whoami('admin2', 'password123');
    expect(result.status).toBe(200);
    expect(result.account).toMatchObject({ name: 'admin', email: 'admin@myanchore', type: 'admin' });
  });

  it('anchore-cli account user del admin2', async () => {
    const response = await stack.adminClient().delete('/v1/accounts/admin/users/admin2');
    expect(response.status).toBe(204);
    expect((await stack.adminClient().get('/v1/accounts/admin/users/admin2')).status).toBe(404);
    expect((await whoami('admin2', 'password123')).status).toBe(401);
  });

  it('anchore-cli account user setpassword --account account1 --username user1 password456', async () => {
    const response = await stack
      .adminClient()
      .post<CredentialView>('/v1/accounts/account1/users/user1/credentials', { type: 'password', value: 'password456' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ type: 'password', value: '********', created_at: expect.stringMatching(RFC3339) });
    expect((await whoami('user1', 'password123')).status).toBe(401);
    expect((await whoami('user1', 'password456')).status).toBe(200);
  });

  it('anchore-cli --u user1 --p password456 account user setpassword password123_456, then whoami with each', async () => {
    const user1 = stack.client().as({ username: 'user1', password: 'password456' });
    const changed = await user1.post<CredentialView>('/v1/user/credentials', { type: 'password', value: 'password123_456' });
    expect(changed.status).toBe(200);
    expect(changed.body.value).toBe('********');

    const refused = await whoami('user1', 'password456');
    expect(refused.status).toBe(401);
    expect(refused.account).toEqual({ message: 'Unauthorized', httpcode: 401, detail: { error_codes: ['UNAUTHORIZED'] } });

    const accepted = await whoami('user1', 'password123_456');
    expect(accepted.status).toBe(200);
    expect(accepted.user.username).toBe('user1');
    expect(accepted.account).toMatchObject({ name: 'account1', email: 'account1admin@anchorexample.com', type: 'user' });
  });

  it('GET /v1/user/credentials shows the password masked', async () => {
    const user1 = stack.client().as({ username: 'user1', password: 'password123_456' });
    const response = await user1.get<CredentialView[]>('/v1/user/credentials');
    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ type: 'password', value: '********', created_at: expect.stringMatching(RFC3339) }]);
  });
});
