import { type DeliveryStatusView, type ProjectView, type StoredCredentialView } from '@keyward/contracts';
import { eventually, FakeKubernetes, type PlainSecret, ServiceProcess, TestStack, uniqueName } from '@keyward/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Detailed = StoredCredentialView & { delivery: DeliveryStatusView[] | null };

/**
 * Delivery of credentials into project namespaces, against a Kubernetes API server of the tests'
 * own (FakeKubernetes): every type and both scopes, projects created later, rotation, rename,
 * deletion of a credential, a project and an account, drift repair, a frozen (disabled) account,
 * errors per namespace, restarts of the API server (watch resumed, 410 relisted), and a second
 * credentials replica taking over without double writes.
 */
describe('delivery of credentials into Kubernetes', () => {
  let stack: TestStack;
  let fake: FakeKubernetes;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    fake = await FakeKubernetes.start();
    dir = mkdtempSync(join(tmpdir(), 'keyward-delivery-'));
    kubeconfig = fake.writeKubeconfig(dir);
    stack = await TestStack.start({ credentialsEnv: { KEYWARD_KUBECONFIG: kubeconfig } });
  });

  afterAll(async () => {
    await stack?.stop();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An account with projects whose namespaces exist in the cluster (unless listed in `missing`). */
  async function accountWithProjects(projects: number, missing: number[] = []) {
    const account = await stack.newAccount();
    const client = stack.adminClient().inAccount(account);
    const names: string[] = [];
    for (let i = 0; i < projects; i += 1) {
      const name = uniqueName('p');
      const created = await client.post<ProjectView>('/v1/projects', { name });
      expect(created.status).toBe(201);
      if (!missing.includes(i)) fake.namespaces.add(created.body.namespace);
      names.push(created.body.namespace);
    }
    const [{ id }] = (await stack.database.query<{ id: string }>('SELECT id FROM identity.accounts WHERE name = $1', [account])) as [{ id: string }];
    return { account, id, client, namespaces: names, projects: names.map((namespace) => namespace.replace(/^keyward-/, '')) };
  }

  const delivered = (accountId: string) => fake.list(`keyward.io/managed-by=keyward,keyward.io/account-id=${accountId}`);
  const places = (secrets: PlainSecret[]) => secrets.map((s) => `${s.namespace}/${s.name}`).sort();

  async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    return eventually(what, async () => probe() || undefined, timeoutMs) as Promise<T>;
  }

  async function statusOf(client: ReturnType<TestStack['adminClient']>, id: string): Promise<DeliveryStatusView[]> {
    const response = await client.get<Detailed>(`/v1/credentials/${id}`);
    expect(response.status).toBe(200);
    return response.body.delivery ?? [];
  }

  it('writes each type into its project’s namespace, labelled, and shows it synced per namespace', async () => {
    const { id, client, namespaces, projects } = await accountWithProjects(1);
    const [namespace] = namespaces as [string];
    const [project] = projects as [string];
    const registry = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'registry',
      type: 'docker-registry',
      scope: 'project',
      project,
      values: { url: 'https://registry.example.test', username: 'robot', password: 'registry-password-1' },
    });
    const keys = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'bucket',
      type: 'access-key',
      scope: 'project',
      project,
      values: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'access-secret-1' },
    });
    const login = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'db-login',
      type: 'password',
      scope: 'project',
      project,
      values: { username: 'app', password: 'db-password-1' },
    });
    expect([registry.status, keys.status, login.status]).toEqual([201, 201, 201]);
    await until('three Secrets', () => delivered(id).length === 3);

    const registrySecret = fake.get(namespace, 'registry');
    expect(registrySecret?.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(registrySecret?.data['.dockerconfigjson'] ?? '{}')).toEqual({
      auths: {
        'https://registry.example.test': {
          username: 'robot',
          password: 'registry-password-1',
          auth: Buffer.from('robot:registry-password-1').toString('base64'),
        },
      },
    });
    expect(fake.get(namespace, 'bucket')).toMatchObject({
      type: 'Opaque',
      data: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'access-secret-1' },
    });
    expect(fake.get(namespace, 'db-login')).toMatchObject({ type: 'Opaque', data: { username: 'app', password: 'db-password-1' } });
    expect(fake.get(namespace, 'db-login')?.labels).toEqual({
      'keyward.io/managed-by': 'keyward',
      'keyward.io/account-id': id,
      'keyward.io/credential-id': login.body.id,
    });

    const status = await eventually('synced status', async () => {
      const found = await statusOf(client, login.body.id);
      return found[0]?.state === 'synced' ? found : undefined;
    });
    expect(status).toEqual([{ namespace, credentialId: login.body.id, credential: 'db-login', state: 'synced', message: null, syncedAt: expect.any(String) }]);
    const projectView = await client.get<ProjectView>(`/v1/projects/${project}`);
    expect(projectView.body.delivery?.map((d) => `${d.credential}:${d.state}`).sort()).toEqual(expect.arrayContaining(['db-login:synced']));
    expect(projectView.body.delivery).toHaveLength(3);
    // Lists stay lean: no delivery there.
    const listed = await client.get<StoredCredentialView[]>('/v1/credentials');
    expect(listed.body.every((c) => !('delivery' in c))).toBe(true);
    // A credential whose delivered version is older than the credential shows pending.
    await stack.database.query(`UPDATE credentials.deliveries SET version = version - interval '1 hour' WHERE credential_id = $1`, [login.body.id]);
    expect((await statusOf(client, login.body.id))[0]).toMatchObject({ state: 'pending' });
  });

  it('follows scope all into every project, one created later too, and rotation, rename, project and credential deletion', async () => {
    const { id, client, namespaces } = await accountWithProjects(2);
    const created = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'shared',
      type: 'password',
      scope: 'all',
      values: { username: 'u', password: 'first-1' },
    });
    expect(created.status).toBe(201);
    await until(
      'in both namespaces',
      () =>
        places(delivered(id)).join() ===
        namespaces
          .map((n) => `${n}/shared`)
          .sort()
          .join(),
    );

    const later = await client.post<ProjectView>('/v1/projects', { name: uniqueName('late') });
    fake.namespaces.add(later.body.namespace);
    await until('in the project created later', () => fake.get(later.body.namespace, 'shared'));

    expect((await client.patch(`/v1/credentials/${created.body.id}`, { values: { username: 'u', password: 'second-2' } })).status).toBe(200);
    await until('rotated everywhere', () => delivered(id).length === 3 && delivered(id).every((s) => s.data['password'] === 'second-2'));

    expect((await client.patch(`/v1/credentials/${created.body.id}`, { name: 'renamed' })).status).toBe(200);
    await until('renamed everywhere', () => delivered(id).length === 3 && delivered(id).every((s) => s.name === 'renamed'));

    expect((await client.delete(`/v1/projects/${later.body.name}`)).status).toBe(204);
    await until('gone from the deleted project', () => delivered(id).length === 2 && !fake.get(later.body.namespace, 'renamed'));

    expect((await client.delete(`/v1/credentials/${created.body.id}`)).status).toBe(204);
    await until('gone everywhere', () => delivered(id).length === 0);
  });

  it('follows a change of scope: from one project to all, and back to another project', async () => {
    const { id, client, namespaces, projects } = await accountWithProjects(3);
    const created = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'mover',
      type: 'password',
      scope: 'project',
      project: projects[0],
      values: { username: 'u', password: 'p' },
    });
    expect(created.status).toBe(201);
    await until('in its project', () => places(delivered(id)).join() === `${namespaces[0] ?? ''}/mover`);

    const widened = await client.patch<StoredCredentialView>(`/v1/credentials/${created.body.id}`, { scope: 'all' });
    expect(widened.body).toMatchObject({ scope: 'all', project: null });
    await until('in every project', () => delivered(id).length === 3);

    const moved = await client.patch<StoredCredentialView>(`/v1/credentials/${created.body.id}`, { scope: 'project', project: projects[2] });
    expect(moved.body).toMatchObject({ scope: 'project', project: projects[2] });
    await until('only in the other project', () => places(delivered(id)).join() === `${namespaces[2] ?? ''}/mover`);

    // Refused with a reason, nothing changed.
    const refused = await client.patch<{ message: string }>(`/v1/credentials/${created.body.id}`, { scope: 'all', project: projects[1] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('Invalid field project: must be left out when scope is all');
    expect((await client.patch<{ message: string }>(`/v1/credentials/${created.body.id}`, { scope: 'somewhere' })).status).toBe(400);
    expect((await client.get<StoredCredentialView>(`/v1/credentials/${created.body.id}`)).body).toMatchObject({ scope: 'project', project: projects[2] });
  });

  it('clones an existing secret where Run:ai would, never where it already is', async () => {
    const { id, client, namespaces, projects } = await accountWithProjects(2);
    const [first, second] = namespaces as [string, string];
    // Registered through the API: a cluster-wide secret and one in the first project's namespace.
    expect(
      (
        await client.post('/v1/secrets', {
          namespace: 'keyward',
          name: uniqueName('pull'),
          type: 'kubernetes.io/dockerconfigjson',
          labels: { 'keyward.io/cluster-wide-credentials': 'true' },
          data: { '.dockerconfigjson': '{"auths":{"r.example":{}}}' },
        })
      ).status,
    ).toBe(201);
    const shared = (await client.get<Array<{ namespace: string; name: string }>>('/v1/secrets')).body.find((s) => s.namespace === 'keyward');
    const local = uniqueName('own');
    expect(
      (await client.post('/v1/secrets', { namespace: first, name: local, labels: { 'keyward.io/credentials': 'true' }, data: { token: 'local-token' } }))
        .status,
    ).toBe(201);

    const all = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'pull',
      type: 'kubernetes-secret',
      scope: 'all',
      existingSecret: `keyward/${shared?.name ?? ''}`,
    });
    const own = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'own',
      type: 'kubernetes-secret',
      scope: 'project',
      project: projects[0],
      existingSecret: `${first}/${local}`,
    });
    expect([all.status, own.status]).toEqual([201, 201]);
    await until('the cluster-wide secret cloned into both projects', () => delivered(id).filter((s) => s.name === 'pull').length === 2);
    expect(fake.get(second, 'pull')).toMatchObject({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '{"auths":{"r.example":{}}}' } });
    expect(fake.get(second, 'pull')?.labels?.['keyward.io/cluster-wide-credentials']).toBeUndefined();
    // The project's own secret is where it is used: nothing is copied, and the status says so.
    const ownStatus = await eventually('a status for the in-place secret', async () => {
      const found = await statusOf(client, own.body.id);
      return found[0]?.state === 'synced' ? found : undefined;
    });
    expect(ownStatus[0]?.message).toContain('not copied');
    expect(fake.get(first, 'own')).toBeUndefined();
  });

  it('reports a forbidden or missing namespace per namespace, retries it, and never touches a Secret it did not write', async () => {
    const { id, client, namespaces } = await accountWithProjects(3, [2]);
    const [open, forbidden, missing] = namespaces as [string, string, string];
    fake.forbidden.add(forbidden);
    fake.put({ namespace: open, name: 'taken', data: { mine: 'not-keyward' } });
    const credential = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'everywhere',
      type: 'password',
      scope: 'all',
      values: { username: 'u', password: 'p-1' },
    });
    const taken = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'taken',
      type: 'password',
      scope: 'all',
      values: { username: 'u', password: 'p-2' },
    });
    await until('written where it may be', () => fake.get(open, 'everywhere'));

    const status = await eventually('errors reported', async () => {
      const found = await statusOf(client, credential.body.id);
      return found.filter((d) => d.state === 'error').length === 2 ? found : undefined;
    });
    const byNamespace = Object.fromEntries(status.map((d) => [d.namespace, d]));
    expect(byNamespace[open]).toMatchObject({ state: 'synced' });
    expect(byNamespace[forbidden]?.message).toMatch(/^forbidden: Keyward may not write Secrets in namespace/);
    expect(byNamespace[missing]?.message).toBe(`namespace ${missing} does not exist in the cluster`);
    const takenStatus = await eventually('the conflict reported', async () => {
      const found = await statusOf(client, taken.body.id);
      return found.find((d) => d.namespace === open && d.state === 'error');
    });
    expect(takenStatus.message).toContain('was not written by Keyward');
    expect(fake.get(open, 'taken')).toMatchObject({ data: { mine: 'not-keyward' }, labels: {} });

    // Fixed in the cluster: the retries deliver without anything else changing.
    fake.forbidden.delete(forbidden);
    fake.namespaces.add(missing);
    await until('delivered once the namespaces can be written', () => fake.get(forbidden, 'everywhere') && fake.get(missing, 'everywhere'), 40_000);
    expect(delivered(id).filter((s) => s.name === 'everywhere')).toHaveLength(3);
  });

  it('never delivers into the cluster’s own namespaces, whatever a project names', async () => {
    const account = await stack.newAccount();
    const client = stack.adminClient().inAccount(account);
    expect((await client.post('/v1/projects', { name: uniqueName('sys'), namespace: 'kube-system' })).status).toBe(201);
    fake.namespaces.add('kube-system');
    const created = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'intruder',
      type: 'password',
      scope: 'all',
      values: { username: 'u', password: 'p' },
    });
    const status = await eventually('the refusal in the status', async () => {
      const found = await statusOf(client, created.body.id);
      return found[0]?.state === 'error' ? found[0] : undefined;
    });
    expect(status.message).toBe('Keyward does not deliver into namespace kube-system (KEYWARD_DELIVERY_DENIED_NAMESPACES)');
    expect(fake.get('kube-system', 'intruder')).toBeUndefined();
    expect(fake.writes().filter((r) => r.path.startsWith('/api/v1/namespaces/kube-system/'))).toEqual([]);
  });

  it('puts back a Secret edited or deleted by hand, and logs it', async () => {
    const { id, client, namespaces, projects } = await accountWithProjects(1);
    const [namespace] = namespaces as [string];
    await client.post('/v1/credentials', {
      name: 'guarded',
      type: 'password',
      scope: 'project',
      project: projects[0],
      values: { username: 'u', password: 'right-1' },
    });
    const original = await until('delivered', () => fake.get(namespace, 'guarded'));
    // Wait for the status row: only a delivery known to be in step counts as drift when it changes.
    await eventually('recorded', async () =>
      (await stack.database.query('SELECT 1 FROM credentials.deliveries WHERE account_id = $1 AND state = $2', [id, 'synced'])).length ? true : undefined,
    );

    fake.put({ ...original, data: { username: 'u', password: 'tampered' } });
    await until('put back', () => fake.get(namespace, 'guarded')?.data['password'] === 'right-1');
    fake.remove(namespace, 'guarded');
    await until('written again', () => fake.get(namespace, 'guarded')?.data['password'] === 'right-1');
    const logs = await stack.flushedLogs();
    expect(logs).toContain(`Drift repaired: Secret ${namespace}/guarded was changed in the cluster`);
    expect(logs).toContain(`Drift repaired: Secret ${namespace}/guarded was deleted in the cluster`);
    expect(logs).not.toContain('right-1');
  });

  it('freezes a disabled account: nothing is repaired until it is enabled again, then it catches up', async () => {
    const frozen = await accountWithProjects(1);
    const witness = await accountWithProjects(1);
    for (const { client, projects } of [frozen, witness]) {
      await client.post('/v1/credentials', {
        name: 'kept',
        type: 'password',
        scope: 'project',
        project: projects[0],
        values: { username: 'u', password: 'p' },
      });
    }
    await until('both delivered', () => delivered(frozen.id).length === 1 && delivered(witness.id).length === 1);
    expect((await stack.adminClient().put(`/v1/accounts/${frozen.account}/state`, { state: 'disabled' })).status).toBe(200);

    fake.remove(frozen.namespaces[0] ?? '', 'kept');
    fake.remove(witness.namespaces[0] ?? '', 'kept');
    // The witness is repaired after the frozen account's event was seen: that one stays as it is.
    await until('the enabled account repaired', () => delivered(witness.id).length === 1);
    expect(delivered(frozen.id)).toHaveLength(0);

    expect((await stack.adminClient().put(`/v1/accounts/${frozen.account}/state`, { state: 'enabled' })).status).toBe(200);
    await until('caught up once enabled', () => delivered(frozen.id).length === 1, 10_000);
  });

  it('deletes an account only once its Secrets are gone from the cluster', async () => {
    const { account, id, client, namespaces } = await accountWithProjects(2);
    await client.post('/v1/credentials', { name: 'doomed', type: 'password', scope: 'all', values: { username: 'u', password: 'p' } });
    await until('delivered', () => delivered(id).length === 2);
    fake.forbidden.add(namespaces[1] ?? '');

    expect((await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'disabled' })).status).toBe(200);
    expect((await stack.adminClient().delete(`/v1/accounts/${account}`)).status).toBe(200);
    // The reaper has purged everything it could and reports the Secret the cluster would not delete.
    await eventually('the purge to report the Secret left', async () => {
      const [job] = await stack.database.query<{ remaining: Record<string, number> | null }>('SELECT remaining FROM reaper.jobs WHERE account_id = $1', [id]);
      return job?.remaining?.['deliveredSecrets'] === 1 && job.remaining['credentials'] === 0 ? true : undefined;
    });
    expect((await stack.adminClient().get(`/v1/accounts/${account}`)).body).toMatchObject({ state: 'deleting' });
    expect(places(delivered(id))).toEqual([`${namespaces[1] ?? ''}/doomed`]);

    fake.forbidden.delete(namespaces[1] ?? '');
    await eventually('the account gone', async () => ((await stack.adminClient().get(`/v1/accounts/${account}`)).status === 404 ? true : undefined), 30_000);
    expect(delivered(id)).toHaveLength(0);
  });

  it('resumes its watch after the API server restarts, and lists again after 410 Gone', async () => {
    const { id, client, namespaces, projects } = await accountWithProjects(1);
    const [namespace] = namespaces as [string];
    await client.post('/v1/credentials', {
      name: 'steady',
      type: 'password',
      scope: 'project',
      project: projects[0],
      values: { username: 'u', password: 'steady-1' },
    });
    await until('delivered', () => delivered(id).length === 1);
    await eventually('recorded', async () =>
      (await stack.database.query('SELECT 1 FROM credentials.deliveries WHERE account_id = $1', [id])).length ? true : undefined,
    );

    const before = fake.requests.length;
    await fake.restart(500);
    fake.remove(namespace, 'steady');
    await until('repaired through the resumed watch', () => fake.get(namespace, 'steady'), 40_000);
    const managedSelector = (query: string) => new URLSearchParams(query).get('labelSelector') === 'keyward.io/managed-by=keyward';
    const watches = fake.requests.slice(before).filter((r) => r.query.includes('watch=true') && managedSelector(r.query));
    expect(watches.length).toBeGreaterThan(0);
    expect(Number(new URLSearchParams(watches[0]?.query).get('resourceVersion'))).toBeGreaterThan(0);

    const lists = () => fake.requests.filter((r) => !r.query.includes('watch=true') && r.path === '/api/v1/secrets' && managedSelector(r.query)).length;
    const listed = lists();
    fake.compact();
    await fake.restart(200);
    await until('listed again after 410', () => lists() > listed, 40_000);
    fake.remove(namespace, 'steady');
    await until('repaired after the relist', () => fake.get(namespace, 'steady'), 40_000);
  });

  it('hands delivery to another replica when the one delivering stops, without writing anything twice', async () => {
    const second = ServiceProcess.start('credentials', { ...stack.envOf('credentials'), KEYWARD_KUBECONFIG: kubeconfig });
    try {
      const { id, client, namespaces } = await accountWithProjects(20);
      const ours = (method: string) => fake.writes(method).filter((r) => namespaces.some((namespace) => r.path.startsWith(`/api/v1/namespaces/${namespace}/`)));
      await client.post('/v1/credentials', { name: 'once', type: 'password', scope: 'all', values: { username: 'u', password: 'p' } });
      await until('in all 20 namespaces', () => delivered(id).length === 20);
      // Two replicas, one writer: each Secret created once, never replaced.
      expect(ours('POST')).toHaveLength(20);
      expect(new Set(ours('POST').map((r) => r.secret)).size).toBe(20);
      expect(ours('PUT')).toHaveLength(0);

      // A graceful stop of the replica delivering: the other takes the lease and goes on.
      await stack.restartCredentials({ KEYWARD_KUBECONFIG: kubeconfig });
      await client.post('/v1/credentials', { name: 'after', type: 'password', scope: 'all', values: { username: 'u', password: 'p' } });
      await until('delivered by the replica that took over', () => delivered(id).filter((s) => s.name === 'after').length === 20, 30_000);
      // Killed while it delivers (SIGKILL as soon as the create is answered): the other lists what
      // the cluster has and writes only what is missing.
      await client.post('/v1/credentials', { name: 'killed', type: 'password', scope: 'all', values: { username: 'u', password: 'p' } });
      await second.stop('SIGKILL');
      await until('delivered after the kill', () => delivered(id).filter((s) => s.name === 'killed').length === 20, 30_000);
      expect(ours('POST')).toHaveLength(60);
      expect(new Set(ours('POST').map((r) => r.secret)).size).toBe(60);
      expect(ours('PUT')).toHaveLength(0);
    } finally {
      await second.stop();
    }
  });
});
