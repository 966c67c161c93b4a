import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type StoredCredentialView } from '@keyward/contracts';
import { randomPassword, TestStack } from '@keyward/testing';
import { CliRunner, fields } from './cli-process';

/** Projects, the four credential types, existing secrets and exports, through `keyward`. */
let stack: TestStack;
let cli: CliRunner;

beforeAll(async () => {
  stack = await TestStack.start();
  cli = new CliRunner(stack.gatewayUrls[0] ?? '');
});

afterAll(async () => {
  await stack?.stop();
  cli?.cleanUp();
});

describe('keyward project, credential and secret', () => {
  let owner: CliRunner;
  const secrets = { registry: randomPassword(), accessKey: randomPassword(), database: randomPassword(), token: randomPassword() };
  const ids: Record<string, string> = {};

  /** Everything the commands printed, to check that no secret value ever appears outside an export. */
  let printed = '';
  const run = async (args: string[], input?: string) => {
    const result = await owner.run(args, { input });
    printed += result.stdout + result.stderr;
    return result;
  };

  beforeAll(async () => {
    owner = cli.as(await stack.newUser(await stack.newAccount()));
  });

  it('project create, get, update and list', async () => {
    const created = await run(['project', 'create', 'team-a', '--description', 'Team A workloads']);
    expect(created.status).toBe(0);
    expect(fields(created.stdout)).toMatchObject({ Name: 'team-a', Namespace: 'keyward-team-a', Description: 'Team A workloads' });
    const updated = await run(['project', 'update', 'team-a', '--description', 'Team A']);
    expect(fields(updated.stdout)['Description']).toBe('Team A');
    expect(fields((await run(['project', 'get', 'team-a'])).stdout)['Description']).toBe('Team A');
    const list = await run(['project', 'list']);
    expect(list.stdout.split('\n')[0]).toMatch(/^Name +Namespace +Description +Created +$/);
    expect(list.stdout).toMatch(/\nteam-a +keyward-team-a +Team A +\d{4}-/);
  });

  it('credential create docker-registry, its password from stdin', async () => {
    const result = await run(
      [
        'credential',
        'create',
        '--type',
        'docker-registry',
        '--project',
        'team-a',
        '--name',
        'registry-login',
        '--url',
        'registry.example.test',
        '--username',
        'robot',
        '--password',
        '-',
      ],
      `${secrets.registry}\n`,
    );
    expect(result.status).toBe(0);
    const record = fields(result.stdout);
    expect(record).toMatchObject({ Name: 'registry-login', Type: 'docker-registry', Scope: 'project', Project: 'team-a', Source: 'new-secret' });
    expect(record['Values']).toBe('url=registry.example.test, username=robot, password=********');
    ids['registry'] = record['ID'] ?? '';
  });

  it('credential create access-key of scope all, its secret key asked for (read from stdin)', async () => {
    const result = await run(
      ['credential', 'create', '--type', 'access-key', '--scope', 'all', '--name', 's3-backups', '--access-key-id', 'AKIAEXAMPLE'],
      `${secrets.accessKey}\n`,
    );
    expect(result.status).toBe(0);
    expect(fields(result.stdout)).toMatchObject({ Scope: 'all', Project: 'None', Values: 'accessKeyId=AKIAEXAMPLE, secretAccessKey=********' });
    ids['accessKey'] = fields(result.stdout)['ID'] ?? '';
  });

  it('credential create password, with --json', async () => {
    const result = await run([
      '--json',
      'credential',
      'create',
      '--type',
      'password',
      '--scope',
      'project',
      '--project',
      'team-a',
      '--name',
      'db-login',
      '--username',
      'app',
      '--password',
      secrets.database,
    ]);
    expect(result.status).toBe(0);
    const created = JSON.parse(result.stdout) as StoredCredentialView;
    expect(created).toMatchObject({ name: 'db-login', type: 'password', values: { username: 'app', password: '********' } });
    ids['database'] = created.id;
  });

  it('secret create, then credential create kubernetes-secret using it', async () => {
    const secret = await run(
      ['secret', 'create', '--namespace', 'keyward-team-a', '--name', 'ml-api-token', '--label', 'keyward.io/credentials=true', '--data', 'token=-'],
      secrets.token,
    );
    expect(secret.status).toBe(0);
    expect(fields(secret.stdout)).toMatchObject({
      Namespace: 'keyward-team-a',
      Name: 'ml-api-token',
      Keys: 'token',
      'Used By': 'None',
      Labels: 'keyward.io/credentials=true',
    });
    const unused = await run(['secret', 'list', '--unused', '--project', 'team-a']);
    expect(unused.stdout).toMatch(/\nkeyward-team-a +ml-api-token +Opaque +token +None +api +/);

    const result = await run([
      'credential',
      'create',
      '--type',
      'kubernetes-secret',
      '--project',
      'team-a',
      '--name',
      'ml-token',
      '--existing-secret',
      'keyward-team-a/ml-api-token',
    ]);
    expect(result.status).toBe(0);
    expect(fields(result.stdout)).toMatchObject({
      Type: 'kubernetes-secret',
      Source: 'existing-secret',
      'Existing Secret': 'keyward-team-a/ml-api-token',
      Values: 'None',
    });
    ids['token'] = fields(result.stdout)['ID'] ?? '';
    expect((await run(['secret', 'list', '--unused', '--project', 'team-a'])).stdout).not.toContain('ml-api-token');
  });

  it('refuses, before asking the server, material that does not fit the type', async () => {
    const noSecret = await run(['credential', 'create', '--type', 'kubernetes-secret', '--scope', 'all', '--name', 'x']);
    expect(noSecret).toMatchObject({ status: 1, stdout: '' });
    expect(noSecret.stderr).toContain('--existing-secret <namespace>/<name>');
    const foreign = await run([
      'credential',
      'create',
      '--type',
      'password',
      '--scope',
      'all',
      '--name',
      'x',
      '--username',
      'u',
      '--password',
      'p',
      '--access-key-id',
      'k',
    ]);
    expect(foreign.stderr).toContain('--access-key-id: not a value of password');
    const noScope = await run(['credential', 'create', '--type', 'password', '--name', 'x', '--username', 'u', '--password', 'p']);
    expect(noScope.stderr).toContain('--scope is required');
  });

  it("credential list, get and list of a project's effective credentials", async () => {
    const own = await run(['credential', 'list', '--project', 'team-a']);
    expect(own.stdout.split('\n')[0]).toMatch(/^ID +Name +Type +Scope +Project +Source +Created +$/);
    for (const name of ['registry-login', 'db-login', 'ml-token']) expect(own.stdout).toContain(name);
    expect(own.stdout).not.toContain('s3-backups');
    const effective = await run(['project', 'credentials', 'team-a']);
    expect(effective.stdout).toContain('s3-backups');
    const got = await run(['credential', 'get', ids['database'] ?? '']);
    expect(fields(got.stdout)).toMatchObject({ Name: 'db-login', Values: 'username=app, password=********' });
    const paged = await run(['--json', 'credential', 'list', '--limit', '1']);
    expect(JSON.parse(paged.stdout)).toHaveLength(1);
  });

  it('credential export, in each format', async () => {
    const docker = await run(['credential', 'export', ids['registry'] ?? '', '--format', 'dockerconfigjson']);
    expect(docker.status).toBe(0);
    const auth = Buffer.from(`robot:${secrets.registry}`).toString('base64');
    expect(JSON.parse(docker.stdout)).toEqual({ auths: { 'registry.example.test': { username: 'robot', password: secrets.registry, auth } } });

    const env = await run(['credential', 'export', ids['accessKey'] ?? '', '--format', 'env']);
    expect(env.stdout).toBe(`AWS_ACCESS_KEY_ID='AKIAEXAMPLE'\nAWS_SECRET_ACCESS_KEY='${secrets.accessKey}'\n`);

    const manifest = await run(['credential', 'export', ids['database'] ?? '', '--format', 'kubernetes-secret']);
    const secret = JSON.parse(manifest.stdout) as { kind: string; type: string; data: Record<string, string> };
    expect(secret).toMatchObject({ kind: 'Secret', type: 'Opaque' });
    expect(Buffer.from(secret.data['password'] ?? '', 'base64').toString()).toBe(secrets.database);

    const wrong = await run(['credential', 'export', ids['database'] ?? '', '--format', 'dockerconfigjson']);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('HTTP Code: 400');
    printed = printed.replace(docker.stdout, '').replace(env.stdout, '').replace(manifest.stdout, '');
  });

  it('credential export --output writes a file only its owner may read', async () => {
    const file = join(cli.home, 'ml-token.env');
    const result = await run(['credential', 'export', ids['token'] ?? '', '--format', 'env', '--output', file]);
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(readFileSync(file, 'utf8')).toBe(`TOKEN='${secrets.token}'\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never printed a secret value outside an export', () => {
    for (const value of Object.values(secrets)) expect(printed).not.toContain(value);
  });

  it('deletes: a used secret and a project with credentials are refused, then everything goes', async () => {
    const used = await run(['secret', 'delete', 'keyward-team-a/ml-api-token']);
    expect(used.status).toBe(1);
    expect(used.stdout).toContain('HTTP Code: 409');
    expect((await run(['project', 'delete', 'team-a'])).stdout).toContain('PROJECT_IN_USE');
    for (const id of Object.values(ids)) expect(await run(['credential', 'delete', id])).toMatchObject({ status: 0, stdout: 'Success\n' });
    expect((await run(['secret', 'delete', 'keyward-team-a/ml-api-token'])).stdout).toBe('Success\n');
    expect((await run(['project', 'delete', 'team-a'])).stdout).toBe('Success\n');
    expect((await run(['project', 'get', 'team-a'])).status).toBe(1);
    expect((await run(['--json', 'credential', 'list'])).stdout).toBe('[]\n');
  });
});

describe('keyward admin user', () => {
  it('lists users of every account with their roles, and sets roles', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const admin = cli.as(stack.admin);
    const list = await admin.run(['admin', 'user', 'list', '--account', account]);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^Username +Account +Type +Staff +Superuser +Created +$/);
    expect(list.stdout).toMatch(new RegExp(`\\n${user.username} +${account} +native +false +false +`));

    const set = await admin.run(['admin', 'user', 'set', user.username, '--staff', 'true']);
    expect(fields(set.stdout)).toMatchObject({ Username: user.username, Staff: 'true', Superuser: 'false' });
    expect((await admin.run(['admin', 'user', 'list', '--staff'])).stdout).toContain(user.username);
    expect((await admin.run(['admin', 'user', 'list', '--no-staff'])).stdout).not.toContain(user.username);
    expect((await admin.run(['admin', 'user', 'list', '--username-prefix', user.username.slice(0, 6)])).stdout).toContain(user.username);

    expect((await admin.run(['admin', 'user', 'set', user.username, '--staff', 'maybe'])).status).toBe(1);
    expect((await admin.run(['admin', 'user', 'set', user.username])).stderr).toContain('Nothing to set');
    const refused = await cli.as(user).run(['admin', 'user', 'set', user.username, '--superuser', 'true']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('HTTP Code: 403');
  });
});
