import { type SecretView, type StoredCredentialView } from '@keyward/contracts';
import { eventually, TestStack } from '@keyward/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface FakeSecret {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  data: Record<string, string>;
}

/** Answers the one Kubernetes call discovery makes: list secrets in all namespaces by label. */
function fakeKubernetes(secrets: FakeSecret[], seen: string[]): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    seen.push(`${request.headers.authorization ?? ''} ${url.pathname}?${url.searchParams.get('labelSelector') ?? ''}`);
    if (url.pathname !== '/api/v1/secrets') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 404 }));
      return;
    }
    const [label] = (url.searchParams.get('labelSelector') ?? '').split('=');
    const items = secrets
      .filter((secret) => label && secret.labels[label] === 'true')
      .map((secret) => ({
        metadata: { name: secret.name, namespace: secret.namespace, labels: secret.labels },
        type: 'Opaque',
        data: Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'SecretList', apiVersion: 'v1', metadata: {}, items }));
  });
  return new Promise((resolvePromise) => server.listen(0, '127.0.0.1', () => resolvePromise({ server, port: (server.address() as { port: number }).port })));
}

describe('discovery of labelled secrets from a Kubernetes API', () => {
  let stack: TestStack;
  let server: Server;
  let dir: string;
  const seen: string[] = [];
  const cluster: FakeSecret[] = [
    { namespace: 'keyward', name: 'cluster-pull', labels: { 'keyward.io/cluster-wide-credentials': 'true' }, data: { '.dockerconfigjson': '{"auths":{}}' } },
    { namespace: 'keyward-ml', name: 'ml-token', labels: { 'keyward.io/credentials': 'true' }, data: { token: 'discovered-secret-value-1' } },
  ];

  beforeAll(async () => {
    const fake = await fakeKubernetes(cluster, seen);
    server = fake.server;
    dir = mkdtempSync(join(tmpdir(), 'keyward-kube-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        // Plain HTTP on loopback: the client allows it only with TLS verification explicitly off.
        `- name: fake\n  cluster:\n    server: http://127.0.0.1:${fake.port}\n    insecure-skip-tls-verify: true`,
        'users:',
        '- name: tester\n  user:\n    token: test-token',
        'contexts:',
        '- name: fake\n  context:\n    cluster: fake\n    user: tester',
        'current-context: fake',
      ].join('\n'),
    );
    stack = await TestStack.start({
      credentialsEnv: { KEYWARD_KUBECONFIG: kubeconfig, KEYWARD_KUBERNETES_ACCOUNT: 'cluster-owner', KEYWARD_KUBERNETES_SYNC_SECONDS: '1' },
    });
    await stack.adminClient().post('/v1/accounts', { name: 'cluster-owner' });
  });

  afterAll(async () => {
    await stack?.stop();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const inventory = async () => (await stack.adminClient().inAccount('cluster-owner').get<SecretView[]>('/v1/secrets')).body;

  it('lists the labelled secrets with the official client, authenticated by the kubeconfig', async () => {
    const found = await eventually('discovered secrets', async () => {
      const secrets = await inventory();
      return secrets.length === 2 ? secrets : undefined;
    });
    expect(found.map((s) => ({ ref: `${s.namespace}/${s.name}`, source: s.source })).sort((a, b) => a.ref.localeCompare(b.ref))).toEqual([
      { ref: 'keyward-ml/ml-token', source: 'kubernetes' },
      { ref: 'keyward/cluster-pull', source: 'kubernetes' },
    ]);
    expect(seen).toEqual(
      expect.arrayContaining([
        'Bearer test-token /api/v1/secrets?keyward.io/cluster-wide-credentials=true',
        'Bearer test-token /api/v1/secrets?keyward.io/credentials=true',
      ]),
    );
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

    cluster.splice(0, cluster.length);
    await eventually('the unused secret to go', async () => ((await inventory()).length === 1 ? true : undefined));
    expect((await inventory()).map((s) => s.name)).toEqual(['ml-token']);
  });
});
