import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TestStack, uniqueName } from '@keyward/testing';

/** Debian's Python with Debian's python3-requests: the library anchore-cli sends its requests with. */
const PYTHON = '/usr/bin/python3';
const CLIENT = join(__dirname, 'anchore-client', 'anchore_client.py');

interface Step {
  call: string;
  args?: Record<string, string>;
  user?: string;
  password?: string;
  as_account?: string;
}

interface Result {
  status: number;
  content_type: string | null;
  www_authenticate: string | null;
  total: string | null;
  body: unknown;
  sent: { method: string; path: string; headers: Record<string, string>; body: string | null };
}

interface AnchoreError {
  message: string;
  httpcode: number;
  detail: { error_codes: string[] };
}

describe("Anchore's accounts and users API through python-requests, as anchore-cli calls it", () => {
  let stack: TestStack;
  let admin: { user: string; password: string };

  /** Runs the steps in one Python process; every step is one request, as one anchore-cli call makes. */
  function run(...steps: Step[]): Result[] {
    const python = spawnSync(PYTHON, [CLIENT, `${stack.gatewayUrls[0]}/v1`], { input: JSON.stringify(steps), encoding: 'utf8' });
    if (python.status !== 0) {
      throw new Error(`${PYTHON} ${CLIENT} failed (is python3-requests installed? apt-get install python3-requests): ${python.stderr}`);
    }
    return JSON.parse(python.stdout) as Result[];
  }

  function one(step: Step): Result {
    const [result] = run(step);
    if (!result) throw new Error('no result');
    return result;
  }

  function asAdmin(call: string, args: Record<string, string> = {}): Result {
    return one({ call, args, ...admin });
  }

  function expectAnchoreError(result: Result, status: number, message: string | RegExp): void {
    expect(result.status).toBe(status);
    const body = result.body as AnchoreError;
    expect(body.httpcode).toBe(status);
    if (typeof message === 'string') expect(body.message).toBe(message);
    else expect(body.message).toMatch(message);
    expect(body.detail.error_codes).toHaveLength(1);
  }

  beforeAll(async () => {
    // No reaper: a deleted account stays in `deleting`, where the walkthrough looks at it.
    stack = await TestStack.start({ reapers: 0 });
    admin = { user: stack.admin.username, password: stack.admin.password };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('sends what anchore-cli sends: JSON content type on every call, python-requests headers, no body on GET and DELETE', () => {
    const [ping, deleted] = run({ call: 'ping' }, { call: 'del_account', args: { name: 'nosuchaccount' }, ...admin });
    expect(ping?.sent).toMatchObject({ method: 'GET', path: '/v1', body: null });
    expect(ping?.sent.headers).toMatchObject({ 'content-type': 'application/json', accept: '*/*', 'user-agent': expect.stringMatching(/^python-requests\//) });
    expect(deleted?.sent).toMatchObject({ method: 'DELETE', path: '/v1/accounts/nosuchaccount', body: null });
    expect(deleted?.sent.headers['content-type']).toBe('application/json');
    expect(deleted?.sent.headers['content-length']).toBe('0');
    expectAnchoreError(deleted as Result, 404, 'Account not found');
  });

  it('answers the access check anchore-cli makes before every command without credentials, then 401s the command', () => {
    const [anonymousPing, wrongPing, wrongWhoami] = run(
      { call: 'ping' },
      { call: 'ping', user: 'admin', password: 'not-the-password' },
      { call: 'whoami_account', user: 'admin', password: 'not-the-password' },
    );
    expect(anonymousPing).toMatchObject({ status: 200, body: 'v1' });
    expect(anonymousPing?.content_type).toMatch(/^application\/json/);
    expect(wrongPing).toMatchObject({ status: 200, body: 'v1' });
    expectAnchoreError(wrongWhoami as Result, 401, 'Unauthorized');
  });

  it('walks the accounts part of the walkthrough', () => {
    const whoami = asAdmin('whoami_account');
    expect(whoami.status).toBe(200);
    expect(whoami.body).toMatchObject({ name: 'admin', type: 'admin', state: 'enabled' });
    expect(asAdmin('whoami_user').body).toMatchObject({ username: 'admin', type: 'native' });

    const account = uniqueName('account');
    const added = asAdmin('add_account', { name: account, email: 'account1admin@anchorexample.com' });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ name: account, email: 'account1admin@anchorexample.com', type: 'user', state: 'enabled' });
    expect(added.sent.body).toBe(JSON.stringify({ name: account, email: 'account1admin@anchorexample.com' }).replace(/":/g, '": ').replace(/,"/g, ', "'));

    expect(asAdmin('disable_account', { name: account })).toMatchObject({ status: 200, body: { state: 'disabled' } });
    // Idempotent, as the seed says.
    expect(asAdmin('disable_account', { name: account })).toMatchObject({ status: 200, body: { state: 'disabled' } });
    expect(asAdmin('enable_account', { name: account })).toMatchObject({ status: 200, body: { state: 'enabled' } });
    expect(asAdmin('enable_account', { name: account })).toMatchObject({ status: 200, body: { state: 'enabled' } });

    expectAnchoreError(
      asAdmin('del_account', { name: account }),
      400,
      'Invalid account state change requested. Cannot go from state enabled to state deleting',
    );
    asAdmin('disable_account', { name: account });
    expect(asAdmin('del_account', { name: account })).toMatchObject({ status: 200, body: { state: 'deleting' } });

    // deleting is terminal: anchore-cli's own tests expect these two refusals.
    expectAnchoreError(
      asAdmin('del_account', { name: account }),
      400,
      'Invalid account state change requested. Cannot go from state deleting to state deleting',
    );
    expectAnchoreError(
      asAdmin('disable_account', { name: account }),
      400,
      'Invalid account state change requested. Cannot go from state deleting to state disabled',
    );
  });

  it('lists every account without a limit', () => {
    const listed = asAdmin('list_accounts');
    expect(listed.status).toBe(200);
    const names = (listed.body as { name: string }[]).map((account) => account.name);
    expect(names).toContain('admin');
    expect(String(names.length)).toBe(listed.total);
  });

  it('walks the users part of the walkthrough, down to the old password refused after setpassword', () => {
    const account = uniqueName('account');
    asAdmin('add_account', { name: account, email: 'account1admin@anchorexample.com' });
    const user1 = uniqueName('user');
    const added = asAdmin('add_user', { account, username: user1, password: 'password123' });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ username: user1 });
    const listed = asAdmin('list_users', { account });
    expect((listed.body as { username: string }[]).map((user) => user.username)).toEqual([user1]);

    const whoami = one({ call: 'whoami_account', user: user1, password: 'password123' });
    expect(whoami.body).toMatchObject({ name: account, email: 'account1admin@anchorexample.com', type: 'user' });

    const admin2 = uniqueName('admin');
    expect(asAdmin('add_user', { account: 'admin', username: admin2, password: 'password123' }).status).toBe(200);
    expect(one({ call: 'whoami_account', user: admin2, password: 'password123' }).body).toMatchObject({ name: 'admin', type: 'admin' });
    const deleted = asAdmin('del_user', { account: 'admin', username: admin2 });
    expect(deleted.status).toBe(204);
    expect(deleted.sent.headers['content-type']).toBe('application/json');
    expectAnchoreError(one({ call: 'whoami_account', user: admin2, password: 'password123' }), 401, 'Unauthorized');

    // An administrator resets user1's password; then user1 changes its own, proving the old one.
    expect(asAdmin('update_user_password', { account, username: user1, password: 'password456' })).toMatchObject({ status: 200, body: { type: 'password' } });
    const own = one({ call: 'update_user_password', args: { account, username: user1, password: 'password123_456' }, user: user1, password: 'password456' });
    expect(own.status).toBe(200);
    const old = one({ call: 'whoami_account', user: user1, password: 'password456' });
    expectAnchoreError(old, 401, 'Unauthorized');
    expect(old.www_authenticate).toMatch(/^Basic /);
    expect(one({ call: 'whoami_account', user: user1, password: 'password123_456' }).status).toBe(200);
  });

  it('reaches names of 128 characters, quoted as anchore-cli quotes them', () => {
    const account = `${uniqueName('long')}${'n'.repeat(128)}`.slice(0, 128);
    const username = `${uniqueName('u')}@.!#$+-=^_~;${'x'.repeat(128)}`.slice(0, 128);
    expect(asAdmin('add_account', { name: account }).status).toBe(200);
    expect(asAdmin('add_user', { account, username, password: 'password123' }).status).toBe(200);
    const got = asAdmin('get_user', { account, username });
    expect(got.status).toBe(200);
    expect(got.sent.path).toContain('%40.%21%23%24%2B-%3D%5E_~%3B');
    expect(asAdmin('del_user', { account, username }).status).toBe(204);
    expect(asAdmin('disable_account', { name: account }).status).toBe(200);
    expect(asAdmin('del_account', { name: account }).status).toBe(200);
  });
});
