import { type AccountView } from '@keyward/contracts';
import { TestStack } from '@keyward/testing';

/**
 * Anchore Engine's "Accounts and Users" walkthrough, first half: every `anchore-cli account`
 * command of the seed replayed as the HTTP calls anchore-cli makes, with the outputs it prints.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('Anchore walkthrough: accounts', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ identityEnv: { KEYWARD_ADMIN_EMAIL: 'admin@myanchore' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('anchore-cli account whoami', async () => {
    const admin = stack.adminClient();
    const account = await admin.get<AccountView>('/v1/account');
    const user = await admin.get<{ username: string }>('/v1/user');
    expect(account.status).toBe(200);
    expect(user.status).toBe(200);
    // Username: admin / AccountName: admin / AccountEmail: admin@myanchore / AccountType: admin
    expect(user.body.username).toBe('admin');
    expect(account.body).toMatchObject({ name: 'admin', email: 'admin@myanchore', type: 'admin', state: 'enabled' });
  });

  it('anchore-cli account add account1 --email account1admin@anchorexample.com', async () => {
    const response = await stack.adminClient().post<AccountView>('/v1/accounts', {
      name: 'account1',
      email: 'account1admin@anchorexample.com',
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      name: 'account1',
      email: 'account1admin@anchorexample.com',
      type: 'user',
      state: 'enabled',
      created_at: expect.stringMatching(RFC3339),
      last_updated: expect.stringMatching(RFC3339),
    });
  });

  it('the email is optional', async () => {
    const response = await stack.adminClient().post<AccountView>('/v1/accounts', { name: 'noemail' });
    expect(response.status).toBe(200);
    expect(response.body.email).toBeNull();
  });

  it('anchore-cli account disable account1 (idempotent)', async () => {
    for (let i = 0; i < 2; i += 1) {
      const response = await stack.adminClient().put('/v1/accounts/account1/state', { state: 'disabled' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ state: 'disabled' });
    }
    expect((await stack.adminClient().get<AccountView>('/v1/accounts/account1')).body.state).toBe('disabled');
  });

  it('anchore-cli account enable account1 (idempotent)', async () => {
    for (let i = 0; i < 2; i += 1) {
      const response = await stack.adminClient().put('/v1/accounts/account1/state', { state: 'enabled' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ state: 'enabled' });
    }
  });

  it('anchore-cli account del account1 while enabled is refused', async () => {
    const response = await stack.adminClient().delete('/v1/accounts/account1');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      message: 'Invalid account state change requested. Cannot go from state enabled to state deleting',
      httpcode: 400,
      detail: { error_codes: ['INVALID_STATE_CHANGE'] },
    });
    expect((await stack.adminClient().get<AccountView>('/v1/accounts/account1')).body.state).toBe('enabled');
  });

  it('anchore-cli account disable, then del account1, then list', async () => {
    expect((await stack.adminClient().put('/v1/accounts/account1/state', { state: 'disabled' })).status).toBe(200);
    const deleted = await stack.adminClient().delete('/v1/accounts/account1');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ state: 'deleting' });

    const list = await stack.adminClient().get<AccountView[]>('/v1/accounts');
    expect(list.status).toBe(200);
    const rows = list.body.map(({ name, email, type, state }) => ({ name, email, type, state }));
    expect(rows).toEqual(
      expect.arrayContaining([
        { name: 'admin', email: 'admin@myanchore', type: 'admin', state: 'enabled' },
        { name: 'account1', email: 'account1admin@anchorexample.com', type: 'user', state: 'deleting' },
      ]),
    );
    expect(list.body.map((a) => a.name)).not.toContain('keyward-system');
  });

  it('lists accounts by state', async () => {
    const deleting = await stack.adminClient().get<AccountView[]>('/v1/accounts?state=deleting');
    expect(deleting.body.map((a) => a.name)).toEqual(['account1']);
    const bad = await stack.adminClient().get('/v1/accounts?state=gone');
    expect(bad.status).toBe(400);
  });
});
