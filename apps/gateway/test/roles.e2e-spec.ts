import { type AdminUserView, type StoredCredentialView } from '@keyward/contracts';
import { type Credentials, ServiceProcess, TestStack } from '@keyward/testing';

describe('superuser and staff roles', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function manage(...args: string[]): Promise<{ code: number | null; output: string }> {
    const command = ServiceProcess.start('identity', stack.envOf('identity'), args);
    const code = await command.exit();
    return { code, output: command.logs };
  }

  describe('the management command', () => {
    it('grants and takes away roles, refusing clearly what cannot be done', async () => {
      const user = await stack.newUser(await stack.newAccount());
      expect(await manage('add_superuser', '--username', 'nosuchuser')).toEqual({ code: 1, output: 'identity: User nosuchuser does not exist\n' });
      expect((await manage('add_superuser', '--username', user.username)).output).toContain(`User ${user.username} is now a superuser`);
      expect(await manage('add_superuser', '--username', user.username)).toEqual({
        code: 1,
        output: `identity: User ${user.username} is already a superuser\n`,
      });
      expect((await manage('remove_superuser', '--username', user.username)).code).toBe(0);
      expect(await manage('remove_admin', `--username=${user.username}`)).toEqual({
        code: 1,
        output: `identity: User ${user.username} is not an admin (staff)\n`,
      });
      expect((await manage('add_admin')).output).toContain('Missing --username U');
      expect((await manage('make_god', '--username', user.username)).output).toContain('Unknown command make_god');
    });

    it('makes a superuser an administrator at the next request', async () => {
      const user = stack.client().as(await stack.newUser(await stack.newAccount()));
      expect((await user.get('/v1/accounts')).status).toBe(403);
      await manage('add_superuser', '--username', user.credentials?.username ?? '');
      expect((await user.get('/v1/accounts')).status).toBe(200);
      expect((await user.post('/v1/accounts', { name: 'made-by-superuser' })).status).toBe(200);
    });
  });

  describe('staff', () => {
    let staff: Credentials;
    let other: string;
    let credentialId: string;

    beforeAll(async () => {
      staff = await stack.newUser(await stack.newAccount());
      await manage('add_admin', '--username', staff.username);
      other = await stack.newAccount();
      await stack.newUser(other);
      const created = await stack
        .adminClient()
        .inAccount(other)
        .post<StoredCredentialView>('/v1/credentials', {
          name: 'guarded',
          type: 'password',
          scope: 'all',
          values: { username: 'db', password: 'staff-must-not-see-this' },
        });
      credentialId = created.body.id;
    });

    it('reads every account’s metadata', async () => {
      const client = stack.client().as(staff);
      expect((await client.get('/v1/accounts')).status).toBe(200);
      expect((await client.get(`/v1/accounts/${other}`)).status).toBe(200);
      expect((await client.get(`/v1/accounts/${other}/users`)).status).toBe(200);
      const credentials = await client.inAccount(other).get<StoredCredentialView[]>('/v1/credentials');
      expect(credentials.status).toBe(200);
      expect(credentials.body.map((c) => c.name)).toEqual(['guarded']);
      expect(JSON.stringify(credentials.body)).not.toContain('staff-must-not-see-this');
    });

    it('never changes anything elsewhere, and never reads secret values', async () => {
      const client = stack.client().as(staff);
      expect((await client.post('/v1/accounts', { name: 'staff-made' })).status).toBe(403);
      expect((await client.put(`/v1/accounts/${other}/state`, { state: 'disabled' })).status).toBe(403);
      expect((await client.post(`/v1/accounts/${other}/users`, { username: 'staff-added', password: 'password123' })).status).toBe(403);
      expect((await client.inAccount(other).delete(`/v1/credentials/${credentialId}`)).status).toBe(403);
      const exported = await client.inAccount(other).post(`/v1/credentials/${credentialId}/export?format=env`);
      expect(exported.status).toBe(403);
      expect(JSON.stringify(exported.body)).not.toContain('staff-must-not-see-this');
    });
  });

  describe('the admin view', () => {
    it('lists users across accounts with filters and pagination, for administrators only', async () => {
      const account = await stack.newAccount();
      const first = await stack.newUser(account);
      await stack.newUser(account);
      const admin = stack.adminClient();
      const inAccount = await admin.get<AdminUserView[]>(`/v1/admin/users?account=${account}`);
      expect(inAccount.body.map((u) => u.account)).toEqual([account, account]);
      expect(inAccount.headers.get('x-total-count')).toBe('2');
      const byPrefix = await admin.get<AdminUserView[]>(`/v1/admin/users?username=${first.username}`);
      expect(byPrefix.body).toEqual([expect.objectContaining({ username: first.username, staff: false, superuser: false })]);
      const page = await admin.get<AdminUserView[]>(`/v1/admin/users?account=${account}&limit=1&offset=1`);
      expect(page.body).toHaveLength(1);
      expect(page.body[0]?.username).not.toBe(inAccount.body[0]?.username);
      expect((await admin.get('/v1/admin/users?staff=maybe')).status).toBe(400);
      expect((await stack.client().as(first).get('/v1/admin/users')).status).toBe(403);
      expect((await admin.get<AdminUserView[]>('/v1/admin/users?username=keyward-system')).body).toEqual([]);
    });

    it('sets staff and superuser flags, effective at once', async () => {
      const user = await stack.newUser(await stack.newAccount());
      const client = stack.client().as(user);
      expect((await client.get('/v1/accounts')).status).toBe(403);
      const updated = await stack.adminClient().request<AdminUserView>('PATCH', `/v1/admin/users/${user.username}`, { staff: true });
      expect(updated.body).toMatchObject({ username: user.username, staff: true, superuser: false });
      expect((await client.get('/v1/accounts')).status).toBe(200);
      expect((await stack.adminClient().get<AdminUserView[]>(`/v1/admin/users?staff=true&username=${user.username}`)).body).toHaveLength(1);
      expect((await client.request('PATCH', `/v1/admin/users/${user.username}`, { superuser: true })).status).toBe(403);
      expect((await stack.adminClient().request('PATCH', '/v1/admin/users/nosuchuser', { staff: true })).status).toBe(404);
      expect((await stack.adminClient().request('PATCH', `/v1/admin/users/${user.username}`, {})).status).toBe(400);
    });
  });
});
