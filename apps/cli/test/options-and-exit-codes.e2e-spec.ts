import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, randomPassword, REPO_ROOT, TestStack, uniqueName } from '@keyward/testing';
import { CliRunner, fields, runNode } from './cli-process';

/** What every command shares: credentials and URL from flags or the environment, --json, stdin, exit statuses. */
describe('keyward: options, input and exit statuses', () => {
  let stack: TestStack;
  let cli: CliRunner;
  let admin: CliRunner;
  let account: string;

  beforeAll(async () => {
    stack = await TestStack.start();
    cli = new CliRunner(stack.gatewayUrls[0] ?? '');
    admin = cli.as(stack.admin);
    account = await stack.newAccount('team@example.test');
  });

  afterAll(async () => {
    await stack?.stop();
    cli?.cleanUp();
  });

  it('exits 0 on success, 1 on a refusal (400, 403, 404), 2 on 401', async () => {
    const user = await stack.newUser(account);
    expect((await admin.run(['account', 'get', account])).status).toBe(0);
    expect((await admin.run(['account', 'get', 'no-such-account'])).status).toBe(1);
    const forbidden = await cli.as(user).run(['account', 'list']);
    expect(forbidden.status).toBe(1);
    expect(forbidden.stdout).toMatch(/^Error: .+\nHTTP Code: 403\nDetail: \{"error_codes":\["FORBIDDEN"\]\}\n$/);
    const conflict = await admin.run(['account', 'add', account]);
    expect(conflict.status).toBe(1);
    expect(conflict.stdout).toBe('Error: Account already exists\nHTTP Code: 400\nDetail: {"error_codes":["ACCOUNT_ALREADY_EXISTS"]}\n');
    const wrong = await cli.as({ username: user.username, password: 'not-the-password' }).run(['account', 'whoami']);
    expect(wrong.status).toBe(2);
  });

  it('without any credentials: 401, exit 2, and a note on how to sign in', async () => {
    const result = await cli.run(['account', 'whoami']);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('Error: Unauthorized\nHTTP Code: 401\n');
    expect(result.stdout).toContain('NOTE: no credentials: pass --u <user> --p <password>');
  });

  it('exits 2 when the gateway cannot be reached, 1 on a usage mistake', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await admin.run(['--url', closed, 'account', 'whoami']);
    expect(unreachable).toEqual({ status: 2, stdout: '', stderr: `Error: Cannot reach Keyward at ${closed}: ECONNREFUSED\n` });
    const missing = await admin.run(['account', 'add']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("missing required argument 'account_name'");
    expect((await admin.run(['account', 'frobnicate'])).status).toBe(1);
    expect((await admin.run(['credential', 'export', 'x', '--format', 'zip'])).stderr).toContain('expected one of dockerconfigjson, kubernetes-secret, env');
  });

  it('--help and --version exit 0', async () => {
    const help = await cli.run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: keyward [options] [command]');
    expect((await cli.run(['account', 'user', '--help'])).stdout).toContain('setpassword');
    expect((await cli.run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("runs through the package's bin, as npx keyward does", async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = join(REPO_ROOT, pkg.bin['keyward'] ?? '');
    const env = {
      KEYWARD_URL: stack.gatewayUrls[0] ?? '',
      KEYWARD_USER: 'admin',
      KEYWARD_PASS: stack.admin.password,
      HOME: cli.home,
      KEYWARD_CLI_NO_BUILD: '1',
    };
    const result = await runNode([bin, 'account', 'whoami'], env);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(fields(result.stdout)['Username']).toBe('admin');
  });

  it('--u/--p beat KEYWARD_USER/KEYWARD_PASS, before or after the command', async () => {
    const user = await stack.newUser(account);
    const before = await admin.run(['--u', user.username, '--p', user.password, 'account', 'whoami']);
    expect(fields(before.stdout)['Username']).toBe(user.username);
    const after = await admin.run(['account', 'whoami', '--u', user.username, '--p', user.password]);
    expect(fields(after.stdout)['Username']).toBe(user.username);
  });

  it("takes --url or KEYWARD_URL, with or without anchore-cli's /v1", async () => {
    const url = stack.gatewayUrls[0] ?? '';
    const viaFlag = await admin.run(['--url', `${url}/v1`, 'account', 'whoami'], { env: { KEYWARD_URL: 'http://127.0.0.1:9' } });
    expect(fields(viaFlag.stdout)['Username']).toBe('admin');
    const viaEnv = await admin.run(['account', 'whoami'], { env: { KEYWARD_URL: `${url}/v1/` } });
    expect(fields(viaEnv.stdout)['Username']).toBe('admin');
  });

  it("--json prints the API's JSON, errors included", async () => {
    const whoami = await admin.run(['account', 'whoami', '--json']);
    expect(whoami.status).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ account: { name: 'admin', type: 'admin' }, user: { username: 'admin' } });
    const list = await admin.run(['--json', 'account', 'list']);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((a) => a.name)).toContain(account);
    const missing = await admin.run(['--json', 'account', 'get', 'no-such-account']);
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({ message: 'Account not found', httpcode: 404, detail: { error_codes: ['ACCOUNT_NOT_FOUND'] } });
  });

  it('reads a password from stdin with -, or the next line of stdin when it is left out', async () => {
    const [fromDash, fromLine] = [uniqueName('dash'), uniqueName('line')];
    const [dashPassword, linePassword] = [randomPassword(), randomPassword()];
    const dash = await admin.run(['account', 'user', 'add', '--account', account, fromDash, '-'], { input: `${dashPassword}\n` });
    expect(dash.status).toBe(0);
    const line = await admin.run(['account', 'user', 'add', '--account', account, fromLine], { input: `${linePassword}\n` });
    expect(line.status).toBe(0);
    for (const [username, password] of [
      [fromDash, dashPassword],
      [fromLine, linePassword],
    ] as const) {
      const whoami = await cli.run(['--u', username, '--p', password, 'account', 'whoami']);
      expect(fields(whoami.stdout)).toMatchObject({ Username: username, AccountName: account });
      expect(whoami.stdout + dash.stdout + dash.stderr + line.stdout + line.stderr).not.toContain(password);
    }
    const empty = await admin.run(['account', 'user', 'add', '--account', account, uniqueName('none')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('stdin has no more lines');
  });

  it('asks for the password when only --u is given', async () => {
    const user = await stack.newUser(account);
    const result = await cli.run(['--u', user.username, 'account', 'whoami'], { input: `${user.password}\n` });
    expect(fields(result.stdout)['Username']).toBe(user.username);
  });

  it('--as-account acts in another account, as an administrator', async () => {
    const result = await admin.run(['--as-account', account, 'account', 'user', 'list']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Name +Created +$/);
    expect(result.stdout.split('\n').length).toBeGreaterThan(3);
  });
});
