import { type SecretView, type StoredCredentialView } from '@keyward/contracts';
import { eventually, FakeKubernetes, TestStack } from '@keyward/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('discovery of labelled secrets from a Kubernetes API', () => {
  let stack: TestStack;
  let fake: FakeKubernetes;
  let dir: string;

  beforeAll(async () => {
    fake = await FakeKubernetes.start();
    fake.put({
      namespace: 'keyward',
      name: 'cluster-pull',
      labels: { 'keyward.io/cluster-wide-credentials': 'true' },
      data: { '.dockerconfigjson': '{"auths":{}}' },
    });
    fake.put({ namespace: 'keyward-ml', name: 'ml-token', labels: { 'keyward.io/credentials': 'true' }, data: { token: 'discovered-secret-value-1' } });
    dir = mkdtempSync(join(tmpdir(), 'keyward-kube-'));
    stack = await TestStack.start({
      credentialsEnv: { KEYWARD_KUBECONFIG: fake.writeKubeconfig(dir), KEYWARD_KUBERNETES_ACCOUNT: 'cluster-owner' },
    });
    await stack.adminClient().post('/v1/accounts', { name: 'cluster-owner' });
  });

  afterAll(async () => {
    await stack?.stop();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const inventory = async () => (await stack.adminClient().inAccount('cluster-owner').get<SecretView[]>('/v1/secrets')).body;

  it('lists and watches the labelled secrets with the official client, authenticated by the kubeconfig', async () => {
    const found = await eventually('discovered secrets', async () => {
      const secrets = await inventory();
      return secrets.length === 2 ? secrets : undefined;
    });
    expect(found.map((s) => ({ ref: `${s.namespace}/${s.name}`, source: s.source })).sort((a, b) => a.ref.localeCompare(b.ref))).toEqual([
      { ref: 'keyward-ml/ml-token', source: 'kubernetes' },
      { ref: 'keyward/cluster-pull', source: 'kubernetes' },
    ]);
    const asked = fake.requests.map(
      (r) => `${r.authorization} ${r.path} ${new URLSearchParams(r.query).get('labelSelector') ?? ''} ${new URLSearchParams(r.query).get('watch') ?? ''}`,
    );
    expect(asked).toEqual(
      expect.arrayContaining([
        'Bearer test-token /api/v1/secrets keyward.io/cluster-wide-credentials=true ',
        'Bearer test-token /api/v1/secrets keyward.io/credentials=true ',
        'Bearer test-token /api/v1/secrets keyward.io/cluster-wide-credentials=true true',
        'Bearer test-token /api/v1/secrets keyward.io/credentials=true true',
      ]),
    );
    // A change in the cluster arrives by the watch, without waiting for a resync.
    fake.put({ namespace: 'keyward-ml', name: 'ml-extra', labels: { 'keyward.io/credentials': 'true' }, data: { token: 'x' } });
    await eventually('the watched secret', async () => ((await inventory()).some((s) => s.name === 'ml-extra') ? true : undefined), 5000);
    fake.remove('keyward-ml', 'ml-extra');
    await eventually('the watched secret to go', async () => ((await inventory()).length === 2 ? true : undefined), 5000);
    const rows = await stack.database.query<{ data_sealed: string }>('SELECT data_sealed FROM credentials.secrets');
    expect(JSON.stringify(rows)).not.toContain('discovered-secret-value-1');
  });

  it('lets a credential use a discovered secret, and keeps it while used after it leaves the cluster', async () => {
    const admin = stack.adminClient().inAccount('cluster-owner');
    await admin.post('/v1/projects', { name: 'ml' });
    const created = await admin.post<StoredCredentialView>('/v1/credentials', {
      name: 'ml-token',
      type: 'kubernetes-secret',
      scope: 'project',
      project: 'ml',
      existingSecret: 'keyward-ml/ml-token',
    });
    expect(created.status).toBe(201);
    const exported = await admin.post<string>(`/v1/credentials/${created.body.id}/export?format=env`);
    expect(exported.body).toContain(`TOKEN='discovered-secret-value-1'`);

    fake.remove('keyward', 'cluster-pull');
    fake.remove('keyward-ml', 'ml-token');
    await eventually('the unused secret to go', async () => ((await inventory()).length === 1 ? true : undefined));
    expect((await inventory()).map((s) => s.name)).toEqual(['ml-token']);
  });
});
