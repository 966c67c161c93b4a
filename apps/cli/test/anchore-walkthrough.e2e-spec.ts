import { eventually, ServiceProcess, TestStack } from '@keyward/testing';
import { CliRunner, fields } from './cli-process';

/**
 * Anchore Engine's "Accounts and Users" walkthrough (the Anchore seed) run through `keyward`
 * exactly as it runs through `anchore-cli`: the same commands and arguments, the output compared
 * with the seed's line by line, only the timestamps differing.
 */
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const withoutTimestamps = (text: string) => text.replace(TIMESTAMP, '<timestamp>');

/** The seed's `anchore-cli account list`, trailing spaces included. */
const SEED_ACCOUNT_LIST = [
  'Name            Email                                  Type         State           Created                     ',
  'admin           admin@myanchore                        admin        enabled         2018-11-03T18:35:42Z        ',
  'account1        account1admin@anchorexample.com        user         deleting        2018-11-05T23:23:55Z        ',
].join('\n');

/** The seed's `anchore-cli account user list --account account1` (its row's trailing spaces trimmed there). */
const SEED_USER_LIST = ['Name         Created                     ', 'user1        2018-11-05T23:38:11Z'].join('\n');

const DELETE_PROMPT = 'This operation is irreversible. Really delete account account1 along with *all* users and resources associated with this account? (y/N)';
const PASSWORD_RESET = "Password (re)set success\nNOTE: Be sure to change the password you're using for this client if you have reset your own password\n";

describe('keyward account: the Anchore walkthrough', () => {
  let stack: TestStack;
  let cli: CliRunner;
  let admin: CliRunner;

  beforeAll(async () => {
    // No reaper at first, so a deleted account stays in `deleting` for `account list`, as in the seed.
    stack = await TestStack.start({ identityEnv: { KEYWARD_ADMIN_EMAIL: 'admin@myanchore' }, reapers: 0 });
    cli = new CliRunner(stack.gatewayUrls[0] ?? '');
    admin = cli.as(stack.admin);
  });

  afterAll(async () => {
    await stack?.stop();
    cli?.cleanUp();
  });

  it('anchore-cli account whoami', async () => {
    const result = await admin.run(['account', 'whoami']);
    expect(result).toEqual({ status: 0, stdout: 'Username: admin\nAccountName: admin\nAccountEmail: admin@myanchore\nAccountType: admin\n\n', stderr: '' });
  });

  it('anchore-cli account add account1 --email account1admin@anchorexample.com', async () => {
    const result = await admin.run(['account', 'add', 'account1', '--email', 'account1admin@anchorexample.com']);
    expect(result.status).toBe(0);
    expect(withoutTimestamps(result.stdout)).toBe(
      'Name: account1\nEmail: account1admin@anchorexample.com\nType: user\nState: enabled\nCreated: <timestamp>\n\n',
    );
  });

  it('anchore-cli account disable account1, and again (idempotent)', async () => {
    for (let i = 0; i < 2; i += 1) {
      expect(await admin.run(['account', 'disable', 'account1'])).toEqual({ status: 0, stdout: 'Success\n', stderr: '' });
    }
    expect(fields((await admin.run(['account', 'get', 'account1'])).stdout)['State']).toBe('disabled');
  });

  it('anchore-cli account enable account1, and again (idempotent)', async () => {
    for (let i = 0; i < 2; i += 1) {
      expect(await admin.run(['account', 'enable', 'account1'])).toEqual({ status: 0, stdout: 'Success\n', stderr: '' });
    }
    expect(fields((await admin.run(['account', 'get', 'account1'])).stdout)['State']).toBe('enabled');
  });

  it('anchore-cli account del account1 while enabled: asked, answered y, refused with the note', async () => {
    const result = await admin.run(['account', 'del', 'account1'], { input: 'y\n' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${DELETE_PROMPT}y\n`);
    expect(result.stdout).toBe(
      'Error: Invalid account state change requested. Cannot go from state enabled to state deleting\n' +
        'HTTP Code: 400\n' +
        'Detail: {"error_codes":["INVALID_STATE_CHANGE"]}\n' +
        '\nNOTE: accounts must be disabled (keyward account disable <account>) in order to be deleted\n',
    );
  });

  it('account del answered n (or not at all) deletes nothing', async () => {
    expect((await admin.run(['account', 'disable', 'account1'])).status).toBe(0);
    for (const input of ['n\n', '']) {
      const result = await admin.run(['account', 'del', 'account1'], { input });
      expect(result).toMatchObject({ status: 0, stdout: '' });
      expect(result.stderr.startsWith(DELETE_PROMPT)).toBe(true);
    }
    expect(fields((await admin.run(['account', 'get', 'account1'])).stdout)['State']).toBe('disabled');
  });

  it('anchore-cli account del account1 once disabled, answered y', async () => {
    const result = await admin.run(['account', 'del', 'account1'], { input: 'y\n' });
    expect(result).toEqual({ status: 0, stdout: 'Success\n', stderr: `${DELETE_PROMPT}y\n` });
  });

  it('anchore-cli account list', async () => {
    const result = await admin.run(['account', 'list']);
    expect(result.status).toBe(0);
    expect(withoutTimestamps(result.stdout)).toBe(`${withoutTimestamps(SEED_ACCOUNT_LIST)}\n\n`);
  });

  it('the reaper finishes the deletion and the name is free again', async () => {
    stack.reapers.push(ServiceProcess.start('reaper', stack.envOf('reaper')));
    await eventually('account1 to be reaped', async () =>
      (await admin.run(['account', 'get', 'account1'])).stdout.includes('HTTP Code: 404') ? true : undefined,
    );
    const gone = await admin.run(['account', 'get', 'account1']);
    expect(gone).toMatchObject({ status: 1, stdout: 'Error: Account not found\nHTTP Code: 404\nDetail: {"error_codes":["ACCOUNT_NOT_FOUND"]}\n' });
    expect((await admin.run(['account', 'add', 'account1', '--email', 'account1admin@anchorexample.com'])).status).toBe(0);
  });

  it('anchore-cli account user add --account account1 user1 password123', async () => {
    const result = await admin.run(['account', 'user', 'add', '--account', 'account1', 'user1', 'password123']);
    expect(result.status).toBe(0);
    expect(withoutTimestamps(result.stdout)).toBe('Name: user1\nCreated: <timestamp>\n\n');
    expect(result.stdout + result.stderr).not.toContain('password123');
  });

  it('anchore-cli account user list --account account1', async () => {
    const result = await admin.run(['account', 'user', 'list', '--account', 'account1']);
    expect(result.status).toBe(0);
    const lines = withoutTimestamps(result.stdout).split('\n');
    expect(lines[0]).toBe(withoutTimestamps(SEED_USER_LIST).split('\n')[0]);
    expect(lines[1]?.trimEnd()).toBe(withoutTimestamps(SEED_USER_LIST).split('\n')[1]);
    expect(lines.slice(2)).toEqual(['', '']);
  });

  it('anchore-cli --u user1 --p password123 account whoami', async () => {
    const result = await cli.run(['--u', 'user1', '--p', 'password123', 'account', 'whoami']);
    expect(result).toEqual({
      status: 0,
      stdout: 'Username: user1\nAccountName: account1\nAccountEmail: account1admin@anchorexample.com\nAccountType: user\n\n',
      stderr: '',
    });
  });

  it('anchore-cli account user add admin2 password123 (in the account making the request), then whoami as admin2', async () => {
    const added = await admin.run(['account', 'user', 'add', 'admin2', 'password123']);
    expect(added.status).toBe(0);
    expect(fields(added.stdout)).toEqual({ Name: 'admin2', Created: expect.stringMatching(RFC3339) });
    const whoami = await cli.run(['--u', 'admin2', '--p', 'password123', 'account', 'whoami']);
    expect(whoami).toEqual({ status: 0, stdout: 'Username: admin2\nAccountName: admin\nAccountEmail: admin@myanchore\nAccountType: admin\n\n', stderr: '' });
  });

  it('anchore-cli account user del admin2', async () => {
    expect(await admin.run(['account', 'user', 'del', 'admin2'])).toEqual({ status: 0, stdout: 'Success\n', stderr: '' });
    const refused = await cli.run(['--u', 'admin2', '--p', 'password123', 'account', 'whoami']);
    expect(refused.status).toBe(2);
    expect(refused.stdout.startsWith('Error: Unauthorized\nHTTP Code: 401\n')).toBe(true);
  });

  it('anchore-cli account user setpassword --account account1 --username user1 password456', async () => {
    const result = await admin.run(['account', 'user', 'setpassword', '--account', 'account1', '--username', 'user1', 'password456']);
    expect(result).toEqual({ status: 0, stdout: PASSWORD_RESET, stderr: '' });
  });

  it('anchore-cli --u user1 --p password456 account user setpassword password123_456', async () => {
    const result = await cli.run(['--u', 'user1', '--p', 'password456', 'account', 'user', 'setpassword', 'password123_456']);
    expect(result).toEqual({ status: 0, stdout: PASSWORD_RESET, stderr: '' });
  });

  it('anchore-cli --u user1 --p password456 account whoami: refused, exit status 2', async () => {
    const result = await cli.run(['--u', 'user1', '--p', 'password456', 'account', 'whoami']);
    expect(result).toEqual({ status: 2, stdout: 'Error: Unauthorized\nHTTP Code: 401\nDetail: {"error_codes":["UNAUTHORIZED"]}\n', stderr: '' });
  });

  it('anchore-cli --u user1 --p password123_456 account whoami', async () => {
    const result = await cli.run(['--u', 'user1', '--p', 'password123_456', 'account', 'whoami']);
    expect(result).toEqual({
      status: 0,
      stdout: 'Username: user1\nAccountName: account1\nAccountEmail: account1admin@anchorexample.com\nAccountType: user\n\n',
      stderr: '',
    });
  });
});
