import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { type KeywardClientConfig } from '@keyward/contracts';
import { type Credentials, TestStack } from '@keyward/testing';
import { CliRunner, fields } from './cli-process';

/** `keyward token`: create and save a token, sign every later call with it, revoke it. */
describe('keyward token', () => {
  let stack: TestStack;
  let cli: CliRunner;
  let user: Credentials;
  let account: string;
  /** The command line with no user or password: it signs with the token file when there is one. */
  let signed: CliRunner;
  let tokenId: string;

  beforeAll(async () => {
    stack = await TestStack.start();
    account = await stack.newAccount('team@example.test');
    user = await stack.newUser(account);
    cli = new CliRunner(stack.gatewayUrls[0] ?? '');
    signed = cli;
  });

  afterAll(async () => {
    await stack?.stop();
    cli?.cleanUp();
  });

  it('token create --save prints the token once and writes ~/.keyward with mode 0600', async () => {
    const result = await cli.as(user).run(['token', 'create', '--name', 'laptop', '--expires-in-days', '30', '--save']);
    expect(result.status).toBe(0);
    const record = fields(result.stdout);
    expect(record).toMatchObject({ Name: 'laptop', Username: user.username, Account: account, 'Read Only': 'false' });
    expect(record['Token']).toMatch(/^kwt_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(result.stdout).toContain(`Saved to ${cli.configPath} (mode 0600)`);
    tokenId = record['ID'] ?? '';

    expect(statSync(cli.configPath).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(cli.configPath, 'utf8')) as KeywardClientConfig;
    expect(saved).toEqual({ registry: { token: record['Token'], username: user.username, base: stack.gatewayUrls[0] } });
  });

  it('refuses to replace the saved file without --force, before creating a token', async () => {
    const before = readFileSync(cli.configPath, 'utf8');
    const result = await cli.as(user).run(['token', 'create', '--name', 'second', '--save']);
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toContain(`${cli.configPath} already exists: pass --force`);
    expect(readFileSync(cli.configPath, 'utf8')).toBe(before);
    expect((await cli.as(user).run(['token', 'list'])).stdout).not.toContain('second');
  });

  it('signs every request with the saved token, its URL taken from the file', async () => {
    // No KEYWARD_URL: the token file's registry.base says where the gateway is.
    for (let i = 0; i < 3; i += 1) {
      // The same command at once, three times: each request carries a nonce, so none is a replay.
      const whoami = await signed.run(['account', 'whoami'], { env: { KEYWARD_URL: '' } });
      expect(whoami).toEqual({
        status: 0,
        stdout: `Username: ${user.username}\nAccountName: ${account}\nAccountEmail: team@example.test\nAccountType: user\n\n`,
        stderr: '',
      });
    }
    const list = await signed.run(['token', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +Name +Read Only +Created +Expires +Last Used +$/);
    expect(list.stdout).toMatch(new RegExp(`\\n${tokenId} +laptop +false +`));
    expect(list.stdout).not.toMatch(/kwt_/);
  });

  it('token revoke, then the next signed call is refused with exit status 2', async () => {
    const revoked = await signed.run(['token', 'revoke', tokenId]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toBe(`Success\nNOTE: ${cli.configPath} holds this token, which is now refused: remove it or save a new one\n`);
    const refused = await signed.run(['account', 'whoami']);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toMatch(/^Error: .+\nHTTP Code: 401\nDetail: \{"error_codes":\["REVOKED_TOKEN"\]\}\n$/);
  });

  it('--u/--p beat the token file, and --force replaces it', async () => {
    const basic = await cli.as(user).run(['account', 'whoami']);
    expect(fields(basic.stdout)['Username']).toBe(user.username);
    const replaced = await cli.as(user).run(['token', 'create', '--name', 'reader', '--read-only', '--save', '--force']);
    expect(replaced.status).toBe(0);
    expect(fields(replaced.stdout)['Read Only']).toBe('true');
  });

  it('a read-only token reads, and is refused every change', async () => {
    expect((await signed.run(['project', 'list'])).status).toBe(0);
    const write = await signed.run(['project', 'create', 'team-a']);
    expect(write.status).toBe(1);
    expect(write.stdout).toContain('HTTP Code: 403\nDetail: {"error_codes":["READ_ONLY_TOKEN"]}');
  });

  it('token list --all and token revoke --admin, as an administrator', async () => {
    const admin = cli.as(stack.admin);
    const all = await admin.run(['token', 'list', '--all', '--account', account]);
    expect(all.stdout.split('\n')[0]).toMatch(/^ID +Name +Username +Account +Read Only +Created +Expires +Last Used +$/);
    const id = /\n([0-9a-f]{16}) +reader /.exec(all.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect((await admin.run(['token', 'revoke', id, '--admin'])).stdout).toMatch(/^Success\n/);
    expect((await signed.run(['project', 'list'])).status).toBe(2);
    expect((await admin.run(['token', 'list', '--account', account])).stderr).toContain('filter the tokens of --all');
  });

  it('a token file that is not one is refused, unless --u/--p make it unneeded', async () => {
    writeFileSync(cli.configPath, '{"registry": {"token": "not-a-token"}}', { mode: 0o600 });
    const refused = await signed.run(['account', 'whoami']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('registry.token is not a Keyward API token');
    writeFileSync(cli.configPath, 'garbage', { mode: 0o600 });
    const basic = await cli.as(user).run(['account', 'whoami']);
    expect(basic.status).toBe(0);
    expect(basic.stderr).toContain(`WARNING: ignoring ${cli.configPath} is not JSON`);
  });
});
