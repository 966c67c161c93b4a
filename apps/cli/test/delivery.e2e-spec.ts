import { eventually, FakeKubernetes, TestStack } from '@keyward/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliRunner, fields } from './cli-process';

/** `keyward credential get` and `keyward project get` show where a credential stands in each namespace. */
describe('keyward and delivery into Kubernetes', () => {
  let stack: TestStack;
  let fake: FakeKubernetes;
  let dir: string;
  let cli: CliRunner;

  beforeAll(async () => {
    fake = await FakeKubernetes.start();
    dir = mkdtempSync(join(tmpdir(), 'keyward-cli-delivery-'));
    stack = await TestStack.start({ credentialsEnv: { KEYWARD_KUBECONFIG: fake.writeKubeconfig(dir) } });
    cli = new CliRunner(stack.gatewayUrls[0] ?? '');
  });

  afterAll(async () => {
    await stack?.stop();
    await fake?.stop();
    cli?.cleanUp();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the delivery of a credential per namespace, and of a project per credential', async () => {
    const owner = cli.as(await stack.newUser(await stack.newAccount()));
    expect((await owner.run(['project', 'create', 'cli-ok'])).status).toBe(0);
    expect((await owner.run(['project', 'create', 'cli-missing'])).status).toBe(0);
    fake.namespaces.add('keyward-cli-ok');
    const created = await owner.run(
      ['credential', 'create', '--type', 'password', '--scope', 'all', '--name', 'shared', '--username', 'u', '--password', '-'],
      { input: 'pw-1\n' },
    );
    expect(created.status).toBe(0);
    const id = fields(created.stdout)['ID'] ?? '';

    const shown = await eventually('the delivery printed', async () => {
      const result = await owner.run(['credential', 'get', id]);
      return /keyward-cli-ok +synced/.test(result.stdout) && /keyward-cli-missing +error/.test(result.stdout) ? result.stdout : undefined;
    });
    expect(shown).toMatch(/Delivery:\nNamespace +State +Synced +Message */);
    expect(shown).toMatch(/keyward-cli-missing +error +None +namespace keyward-cli-missing does not exist in the cluster/);
    expect(shown).not.toContain('pw-1');
    const project = await owner.run(['project', 'get', 'cli-ok']);
    expect(project.stdout).toMatch(/Delivery:\nCredential +State +Synced +Message *\nshared +synced +\d{4}-/);
  });
});
