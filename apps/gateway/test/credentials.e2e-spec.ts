import { type ProjectView, type SecretView, type StoredCredentialView } from '@keyward/contracts';
import { type ApiClient, type ApiResponse, randomPassword, TestStack } from '@keyward/testing';
import { randomUUID } from 'node:crypto';
import { connect, JSONCodec } from 'nats';

interface ErrorBody {
  message: string;
  detail: { error_codes: string[] };
}

function expectError(response: ApiResponse, status: number, code: string, message?: RegExp): void {
  const body = response.body as ErrorBody;
  expect({ status: response.status, code: body.detail?.error_codes?.[0] }).toEqual({ status, code });
  if (message) expect(body.message).toMatch(message);
}

const CLUSTER_WIDE = { 'keyward.io/cluster-wide-credentials': 'true' };
const PROJECT_ONLY = { 'keyward.io/credentials': 'true' };

describe('credentials service through the gateway', () => {
  let stack: TestStack;
  let account: string;
  let owner: ApiClient;
  const secrets: string[] = [];

  /** A secret value that must never come back in a response or a log. */
  const secret = (label: string) => {
    const value = `${label}-${randomPassword()}`;
    secrets.push(value);
    return value;
  };

  beforeAll(async () => {
    // The purge contract is driven by hand below: the reaper's sweep must not race it.
    stack = await TestStack.start({ reaperEnv: { KEYWARD_REAPER_SWEEP_SECONDS: '3600' } });
    account = await stack.newAccount();
    owner = stack.client().as(await stack.newUser(account));
    for (const name of ['alpha', 'beta']) {
      expect((await owner.post('/v1/projects', { name })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('keyset pagination', () => {
    it('walks every credential with X-Next-Cursor, in creation order, each once, and refuses a forged cursor', async () => {
      const account = await stack.newAccount();
      const admin = stack.adminClient().inAccount(account);
      const names: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        names.push(`walk-${i}`);
        expect(
          (await admin.post('/v1/credentials', { name: `walk-${i}`, type: 'password', scope: 'all', values: { username: 'u', password: 'p' } })).status,
        ).toBe(201);
      }
      const seen: string[] = [];
      let path: string | undefined = '/v1/credentials?limit=3';
      while (path) {
        const page: ApiResponse<StoredCredentialView[]> = await admin.get<StoredCredentialView[]>(path);
        expect(page.status).toBe(200);
        expect(page.headers.get('x-total-count')).toBe('7');
        seen.push(...page.body.map((c) => c.name));
        const next = page.headers.get('x-next-cursor');
        path = next ? `/v1/credentials?limit=3&after=${encodeURIComponent(next)}` : undefined;
      }
      expect(seen).toEqual(names);
      expectError(await admin.get('/v1/credentials?after=bm90LWEtY3Vyc29y'), 400, 'VALIDATION_FAILED', /^Invalid field after: is not a cursor/);
    });

    it('counts exactly up to 1,000 credentials and past that gives the estimate, saying so', async () => {
      const account = await stack.newAccount();
      const admin = stack.adminClient().inAccount(account);
      const [{ id }] = (await stack.database.query<{ id: string }>('SELECT id FROM identity.accounts WHERE name = $1', [account])) as [{ id: string }];
      const fill = (from: number, to: number) =>
        stack.database.query(
          `INSERT INTO credentials.credentials (id, account_id, name, type, scope, public_values, values_sealed, created_by, created_at)
           SELECT gen_random_uuid(), $1, 'bulk-' || g, 'password', 'all', '{"username":"u"}', 'kw1.test.AA.AA.AA', 'test', timestamptz '2026-01-01' + g * interval '1 second'
             FROM generate_series($2::int, $3::int) g`,
          [id, from, to],
        );
      await fill(1, 1000);
      const exact = await admin.get<StoredCredentialView[]>('/v1/credentials?limit=10');
      expect(exact.headers.get('x-total-count')).toBe('1000');
      expect(exact.headers.get('x-total-count-estimated')).toBeNull();
      // A page past the end has no row, and still its total.
      const pastEnd = await admin.get<StoredCredentialView[]>('/v1/credentials?limit=10&offset=1000');
      expect(pastEnd.status).toBe(200);
      expect(pastEnd.body).toEqual([]);
      expect(pastEnd.headers.get('x-total-count')).toBe('1000');
      expect(pastEnd.headers.get('x-next-cursor')).toBeNull();
      await fill(1001, 3000);
      await stack.database.query('ANALYZE credentials.credentials');
      const estimated = await admin.get<StoredCredentialView[]>('/v1/credentials?limit=10');
      expect(estimated.status).toBe(200);
      expect(estimated.headers.get('x-total-count-estimated')).toBe('true');
      // The planner's figure: never below what was counted, and near the truth once analysed.
      const total = Number(estimated.headers.get('x-total-count'));
      expect(total).toBeGreaterThan(1000);
      expect(Math.abs(total - 3000)).toBeLessThan(600);
      // A page by cursor past the thousandth row is the same page the offset gives.
      const byOffset = await admin.get<StoredCredentialView[]>('/v1/credentials?limit=5&offset=2000');
      // Later pages reuse the estimate rather than count again.
      expect(byOffset.headers.get('x-total-count')).toBe(String(total));
      expect(byOffset.headers.get('x-total-count-estimated')).toBe('true');
      const beyond = await admin.get<StoredCredentialView[]>('/v1/credentials?limit=5&offset=5000');
      expect(beyond.body).toEqual([]);
      expect(beyond.headers.get('x-total-count')).toBe(String(total));
      expect(beyond.headers.get('x-next-cursor')).toBeNull();
      let cursor: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const step: ApiResponse<StoredCredentialView[]> = await admin.get<StoredCredentialView[]>(
          `/v1/credentials?limit=100${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
        );
        cursor = step.headers.get('x-next-cursor');
      }
      const byCursor = await admin.get<StoredCredentialView[]>(`/v1/credentials?limit=5&after=${encodeURIComponent(cursor ?? '')}`);
      expect(byCursor.body.map((c) => c.name)).toEqual(byOffset.body.map((c) => c.name));
      expect(byCursor.body.map((c) => c.name)).toEqual(['bulk-2001', 'bulk-2002', 'bulk-2003', 'bulk-2004', 'bulk-2005']);
      // The placeholder sealed values are no credential's: gone before the tests that read every stored value.
      await stack.database.query('DELETE FROM credentials.credentials WHERE account_id = $1', [id]);
    });
  });

  describe('projects', () => {
    it('creates with a default namespace, gets, patches, lists and deletes', async () => {
      const created = await owner.post<ProjectView>('/v1/projects', { name: 'gamma', description: 'third' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'gamma', namespace: 'keyward-gamma', description: 'third' });
      expect((await owner.request('PATCH', '/v1/projects/gamma', { description: 'changed' })).body).toMatchObject({ description: 'changed' });
      const page = await owner.get<ProjectView[]>('/v1/projects?limit=2');
      expect(page.headers.get('x-total-count')).toBe('3');
      expect(page.body.map((p) => p.name)).toEqual(['alpha', 'beta']);
      expect((await owner.delete('/v1/projects/gamma')).status).toBe(204);
      expectError(await owner.get('/v1/projects/gamma'), 404, 'PROJECT_NOT_FOUND');
    });

    it('gives a namespace to one project of one account in the whole installation', async () => {
      const [first, second] = [await stack.newAccount(), await stack.newAccount()];
      const a = stack.adminClient().inAccount(first);
      const b = stack.adminClient().inAccount(second);
      const namespace = `team-ns-${Date.now()}`;
      expect((await a.post('/v1/projects', { name: 'one', namespace })).status).toBe(201);
      // Another account cannot take it, and is not told whose it is.
      const taken = await b.post('/v1/projects', { name: 'two', namespace });
      expectError(taken, 409, 'PROJECT_ALREADY_EXISTS', new RegExp(`^Namespace ${namespace} already belongs to another project$`));
      expect(JSON.stringify(taken.body)).not.toContain(first);
      // Nor the default namespace of a project name another account already uses.
      const name = `same${Date.now()}`;
      expect((await a.post('/v1/projects', { name })).status).toBe(201);
      expectError(
        await b.post('/v1/projects', { name }),
        409,
        'PROJECT_ALREADY_EXISTS',
        /the default for this name\): give the project a namespace of its own/,
      );
      expect((await b.post('/v1/projects', { name, namespace: `${name}-b` })).status).toBe(201);
    });

    it('refuses duplicates and invalid names, naming the field', async () => {
      expectError(await owner.post('/v1/projects', { name: 'alpha' }), 409, 'PROJECT_ALREADY_EXISTS');
      expectError(await owner.post('/v1/projects', { name: 'Not_Valid' }), 400, 'VALIDATION_FAILED', /^Invalid field name: must be a Kubernetes name/);
      expectError(await owner.post('/v1/projects', { name: 'x'.repeat(64) }), 400, 'VALIDATION_FAILED', /name/);
      expectError(await owner.post('/v1/projects', { name: 'delta', namespace: 'UPPER' }), 400, 'VALIDATION_FAILED', /^Invalid field namespace/);
      expectError(
        await owner.post('/v1/projects', { name: 'epsilon', namespace: 'keyward-alpha' }),
        409,
        'PROJECT_ALREADY_EXISTS',
        /Namespace keyward-alpha already belongs/,
      );
    });
  });

  describe('credentials with a new secret', () => {
    const cases = [
      {
        type: 'docker-registry',
        scope: 'project',
        project: 'alpha',
        values: () => ({ url: 'registry.example.test', username: 'robot', password: secret('docker') }),
        shown: { url: 'registry.example.test', username: 'robot', password: '********' },
      },
      {
        type: 'docker-registry',
        scope: 'all',
        values: () => ({ url: 'ghcr.example.test', username: 'bot', password: secret('docker-all') }),
        shown: { url: 'ghcr.example.test', username: 'bot', password: '********' },
      },
      {
        type: 'access-key',
        scope: 'project',
        project: 'beta',
        values: () => ({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secret('aws') }),
        shown: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: '********' },
      },
      {
        type: 'access-key',
        scope: 'all',
        values: () => ({ accessKeyId: 'AKIAALL', secretAccessKey: secret('aws-all') }),
        shown: { accessKeyId: 'AKIAALL', secretAccessKey: '********' },
      },
      {
        type: 'password',
        scope: 'project',
        project: 'alpha',
        values: () => ({ username: 'db', password: secret('db') }),
        shown: { username: 'db', password: '********' },
      },
      { type: 'password', scope: 'all', values: () => ({ username: 'svc', password: secret('svc') }), shown: { username: 'svc', password: '********' } },
    ];

    it.each(cases)('creates $type with scope $scope, masked', async ({ type, scope, project, values, shown }) => {
      const name = `${type}-${scope}`;
      const response = await owner.post<StoredCredentialView>('/v1/credentials', { name, type, scope, project, values: values() });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        name,
        type,
        scope,
        project: project ?? null,
        source: 'new-secret',
        existingSecret: null,
        values: shown,
        keyId: 'test1',
      });
      const fetched = await owner.get<StoredCredentialView>(`/v1/credentials/${response.body.id}`);
      expect(fetched.body.values).toEqual(shown);
    });

    it('never returns a secret value, and stores none in clear', async () => {
      const listed = await owner.get<StoredCredentialView[]>('/v1/credentials?limit=1000');
      expect(listed.body.length).toBeGreaterThanOrEqual(6);
      const stored = await stack.database.query<{ values_sealed: string }>(`SELECT values_sealed FROM credentials.credentials WHERE values_sealed IS NOT NULL`);
      for (const value of secrets) {
        expect(JSON.stringify(listed.body)).not.toContain(value);
        expect(JSON.stringify(stored)).not.toContain(value);
      }
      expect(stored.every((row) => row.values_sealed.startsWith('kw1.test1.'))).toBe(true);
      // A page reads no sealed values, yet shows each credential as reading it alone does: key id and times included.
      for (const item of listed.body) {
        expect(item.keyId).toBe('test1');
        expect((await owner.get<StoredCredentialView>(`/v1/credentials/${item.id}`)).body).toMatchObject(item);
      }
    });

    it('keeps names unique within a scope', async () => {
      const body = { name: 'shared-name', type: 'password', scope: 'project', project: 'alpha', values: { username: 'u', password: 'p4ssword' } };
      expect((await owner.post('/v1/credentials', body)).status).toBe(201);
      expectError(await owner.post('/v1/credentials', body), 409, 'CREDENTIAL_ALREADY_EXISTS');
      expect((await owner.post('/v1/credentials', { ...body, project: 'beta' })).status).toBe(201);
      expect((await owner.post('/v1/credentials', { ...body, scope: 'all', project: undefined })).status).toBe(201);
      expectError(await owner.post('/v1/credentials', { ...body, scope: 'all', project: undefined }), 409, 'CREDENTIAL_ALREADY_EXISTS');
    });

    it('renames and describes with PATCH, and nothing else', async () => {
      const created = await owner.post<StoredCredentialView>('/v1/credentials', {
        name: 'to-rename',
        type: 'password',
        scope: 'all',
        values: { username: 'u', password: 'p4ssword' },
      });
      const patched = await owner.request<StoredCredentialView>('PATCH', `/v1/credentials/${created.body.id}`, {
        name: 'renamed',
        description: 'now described',
        type: 'access-key',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: created.body.id, name: 'renamed', description: 'now described', type: 'password' });
      expectError(await owner.request('PATCH', `/v1/credentials/${created.body.id}`, { name: 'password-all' }), 409, 'CREDENTIAL_ALREADY_EXISTS');
      expectError(await owner.request('PATCH', `/v1/credentials/${created.body.id}`, { name: 'Bad Name' }), 400, 'VALIDATION_FAILED', /^Invalid field name/);
      expectError(await owner.get('/v1/credentials/not-a-uuid'), 404, 'CREDENTIAL_NOT_FOUND');
    });

    it.each([
      [{ name: 'x1', type: 'ftp', scope: 'all', values: {} }, /^Invalid field type/],
      [{ name: 'x2', type: 'password', scope: 'galaxy', values: {} }, /^Invalid field scope/],
      [{ name: 'x3', type: 'password', scope: 'project', values: { username: 'a', password: 'b' } }, /^Invalid field project: is required/],
      [
        { name: 'x4', type: 'password', scope: 'project', project: 'nope', values: { username: 'a', password: 'b' } },
        /^Invalid field project: no project named nope/,
      ],
      [{ name: 'x5', type: 'password', scope: 'all', values: { username: 'a' } }, /^Invalid field values.password: is required/],
      [{ name: 'x6', type: 'password', scope: 'all', values: { username: 'a', password: 'b', extra: 'c' } }, /^Invalid field values.extra/],
      [{ name: 'x7', type: 'password', scope: 'all' }, /^Invalid field values: give either/],
      [{ name: 'x8', type: 'kubernetes-secret', scope: 'all', values: { a: 'b' } }, /^Invalid field (values|existingSecret)/],
      [{ type: 'password', scope: 'all', values: { username: 'a', password: 'b' } }, /^Invalid field name/],
    ])('refuses %j with a 400 naming the field', async (body, message) => {
      expectError(await owner.post('/v1/credentials', body), 400, 'VALIDATION_FAILED', message);
    });
  });

  describe('existing secrets', () => {
    beforeAll(async () => {
      for (const [namespace, name, labels] of [
        ['keyward', 'cluster-registry', CLUSTER_WIDE],
        ['keyward-alpha', 'alpha-token', PROJECT_ONLY],
        ['keyward-beta', 'beta-token', PROJECT_ONLY],
        ['keyward-alpha', 'unlabelled', {}],
        ['keyward', 'race-target', CLUSTER_WIDE],
      ] as const) {
        const response = await owner.post<SecretView>('/v1/secrets', { namespace, name, labels, data: { token: secret(name) } });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ namespace, name, keys: ['token'], usedBy: null, source: 'api' });
      }
    });

    const unusedFor = async (project: string) =>
      (await owner.get<SecretView[]>(`/v1/secrets?unused=true&project=${project}`)).body.map((s) => `${s.namespace}/${s.name}`).sort();

    it('offers a project its own labelled secrets and the cluster-wide ones, never unlabelled ones', async () => {
      expect(await unusedFor('alpha')).toEqual(['keyward-alpha/alpha-token', 'keyward/cluster-registry', 'keyward/race-target']);
      expect(await unusedFor('beta')).toEqual(['keyward-beta/beta-token', 'keyward/cluster-registry', 'keyward/race-target']);
    });

    it('uses a secret once: it leaves the picker, a second use is 409, deleting the credential frees it', async () => {
      const body = { name: 'k8s-alpha', type: 'kubernetes-secret', scope: 'project', project: 'alpha', existingSecret: 'keyward-alpha/alpha-token' };
      const created = await owner.post<StoredCredentialView>('/v1/credentials', body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ source: 'existing-secret', existingSecret: 'keyward-alpha/alpha-token', values: null });
      expect(await unusedFor('alpha')).not.toContain('keyward-alpha/alpha-token');
      expectError(await owner.post('/v1/credentials', { ...body, name: 'k8s-alpha-2' }), 409, 'SECRET_IN_USE');
      expectError(await owner.delete('/v1/secrets/keyward-alpha/alpha-token'), 409, 'SECRET_IN_USE');

      expect((await owner.delete(`/v1/credentials/${created.body.id}`)).status).toBe(204);
      expect(await unusedFor('alpha')).toContain('keyward-alpha/alpha-token');
    });

    it('lets a value type use an existing secret that holds its fields, and exports them', async () => {
      const password = secret('registry-login');
      await owner.post('/v1/secrets', {
        namespace: 'keyward',
        name: 'registry-login',
        labels: CLUSTER_WIDE,
        data: { url: 'r.example.test', username: 'robot', password },
      });
      expectError(
        await owner.post('/v1/credentials', { name: 'registry-from-token', type: 'docker-registry', scope: 'all', existingSecret: 'keyward/cluster-registry' }),
        400,
        'VALIDATION_FAILED',
        /must hold the keys url, username, password for a docker-registry credential \(missing url, username, password\)/,
      );
      const created = await owner.post<StoredCredentialView>('/v1/credentials', {
        name: 'registry-from-secret',
        type: 'docker-registry',
        scope: 'all',
        existingSecret: 'keyward/registry-login',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ existingSecret: 'keyward/registry-login', values: null });
      const exported = await owner.post<{ auths: Record<string, { password: string }> }>(`/v1/credentials/${created.body.id}/export?format=dockerconfigjson`);
      expect(exported.body.auths['r.example.test']?.password).toBe(password);
    });

    it('rotates the values of a credential in place, and refuses it for one that uses an existing secret', async () => {
      const oldPassword = secret('rotate-old');
      const newPassword = secret('rotate-new');
      const created = await owner.post<StoredCredentialView>('/v1/credentials', {
        name: 'rotated-registry',
        type: 'docker-registry',
        scope: 'all',
        values: { url: 'rot.example.test', username: 'robot', password: oldPassword },
      });
      expect(created.status).toBe(201);
      const [before] = await stack.database.query<{ values_sealed: string }>('SELECT values_sealed FROM credentials.credentials WHERE id = $1', [
        created.body.id,
      ]);
      const rotated = await owner.request<StoredCredentialView>('PATCH', `/v1/credentials/${created.body.id}`, {
        values: { url: 'rot.example.test', username: 'robot2', password: newPassword },
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body).toMatchObject({
        id: created.body.id,
        name: 'rotated-registry',
        values: { url: 'rot.example.test', username: 'robot2', password: '********' },
        keyId: 'test1',
      });
      expect(JSON.stringify(rotated.body)).not.toContain(newPassword);
      const [after] = await stack.database.query<{ values_sealed: string }>('SELECT values_sealed FROM credentials.credentials WHERE id = $1', [
        created.body.id,
      ]);
      expect(after?.values_sealed).not.toBe(before?.values_sealed);
      expect(after?.values_sealed).not.toContain(newPassword);
      const exported = await owner.post<{ auths: Record<string, { username: string; password: string }> }>(
        `/v1/credentials/${created.body.id}/export?format=dockerconfigjson`,
      );
      expect(exported.body.auths['rot.example.test']).toMatchObject({ username: 'robot2', password: newPassword });
      // Every field of the type, nothing else; the stored values stay as they were after a refusal.
      expectError(
        await owner.request('PATCH', `/v1/credentials/${created.body.id}`, { values: { password: 'only-one' } }),
        400,
        'VALIDATION_FAILED',
        /^Invalid field values\.url: is required/,
      );
      expectError(
        await owner.request('PATCH', `/v1/credentials/${created.body.id}`, { values: { url: 'u', username: 'x', password: 'y', extra: 'z' } }),
        400,
        'VALIDATION_FAILED',
        /values\.extra/,
      );
      expectError(await owner.request('PATCH', `/v1/credentials/${created.body.id}`, { values: 'not-a-map' }), 400, 'VALIDATION_FAILED', /values/);
      const [unchanged] = await stack.database.query<{ values_sealed: string }>('SELECT values_sealed FROM credentials.credentials WHERE id = $1', [
        created.body.id,
      ]);
      expect(unchanged?.values_sealed).toBe(after?.values_sealed);
      const fromSecret = (await owner.get<StoredCredentialView[]>('/v1/credentials?limit=1000')).body.find((c) => c.name === 'registry-from-secret');
      expect(fromSecret).toBeDefined();
      expectError(
        await owner.request('PATCH', `/v1/credentials/${fromSecret?.id ?? ''}`, { values: { url: 'u', username: 'x', password: 'y' } }),
        400,
        'VALIDATION_FAILED',
        /uses the existing secret keyward\/registry-login: rotate that secret instead/,
      );
    });

    it('refuses secrets the scope may not use', async () => {
      expectError(
        await owner.post('/v1/credentials', {
          name: 'wrong-project',
          type: 'kubernetes-secret',
          scope: 'project',
          project: 'alpha',
          existingSecret: 'keyward-beta/beta-token',
        }),
        400,
        'SECRET_NOT_AVAILABLE',
      );
      expectError(
        await owner.post('/v1/credentials', {
          name: 'project-secret-for-all',
          type: 'kubernetes-secret',
          scope: 'all',
          existingSecret: 'keyward-beta/beta-token',
        }),
        400,
        'SECRET_NOT_AVAILABLE',
      );
      expectError(
        await owner.post('/v1/credentials', {
          name: 'unlabelled',
          type: 'kubernetes-secret',
          scope: 'project',
          project: 'alpha',
          existingSecret: 'keyward-alpha/unlabelled',
        }),
        400,
        'SECRET_NOT_AVAILABLE',
      );
      expectError(
        await owner.post('/v1/credentials', { name: 'missing', type: 'kubernetes-secret', scope: 'all', existingSecret: 'keyward/nope' }),
        400,
        'VALIDATION_FAILED',
        /^Invalid field existingSecret/,
      );
    });

    it('lets exactly one of many parallel requests take a secret', async () => {
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          owner.post('/v1/credentials', { name: `racer-${i}`, type: 'kubernetes-secret', scope: 'all', existingSecret: 'keyward/race-target' }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      for (const refused of responses.filter((r) => r.status !== 201)) {
        expectError(refused, 409, 'SECRET_IN_USE');
      }
    });

    it('stores secret data sealed', async () => {
      const rows = await stack.database.query<{ data_sealed: string }>('SELECT data_sealed FROM credentials.secrets');
      for (const value of secrets) expect(JSON.stringify(rows)).not.toContain(value);
      expect(JSON.stringify((await owner.get('/v1/secrets')).body)).not.toContain('cluster-registry-');
    });
  });

  describe('effective credentials and exports', () => {
    let registryId: string;
    let registryPassword: string;

    beforeAll(async () => {
      registryPassword = secret('export');
      const created = await owner.post<StoredCredentialView>('/v1/credentials', {
        name: 'export-me',
        type: 'docker-registry',
        scope: 'project',
        project: 'beta',
        values: { url: 'registry.export.test', username: 'exporter', password: registryPassword },
      });
      registryId = created.body.id;
    });

    it('gives a project its own credentials and every credential of scope all', async () => {
      const all = await owner.get<StoredCredentialView[]>('/v1/credentials?scope=all&limit=1000');
      const beta = await owner.get<StoredCredentialView[]>('/v1/projects/beta/credentials?limit=1000');
      const betaOwn = await owner.get<StoredCredentialView[]>('/v1/credentials?project=beta&limit=1000');
      expect(beta.body.map((c) => c.id).sort()).toEqual([...all.body, ...betaOwn.body].map((c) => c.id).sort());
      expect(beta.body.some((c) => c.project === 'alpha')).toBe(false);
    });

    it('exports each format to the account, audited', async () => {
      const docker = await owner.post<string>(`/v1/credentials/${registryId}/export?format=dockerconfigjson`);
      expect(docker.status).toBe(200);
      expect(docker.headers.get('cache-control')).toBe('no-store');
      const auth = Buffer.from(`exporter:${registryPassword}`).toString('base64');
      expect(docker.body).toEqual({ auths: { 'registry.export.test': { username: 'exporter', password: registryPassword, auth } } });

      const manifest = await owner.post<{ kind: string; type: string; metadata: { namespace: string }; data: Record<string, string> }>(
        `/v1/credentials/${registryId}/export?format=kubernetes-secret`,
      );
      expect(manifest.body).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/dockerconfigjson', metadata: { namespace: 'keyward-beta' } });
      expect(Buffer.from(manifest.body.data['.dockerconfigjson'] ?? '', 'base64').toString()).toContain(registryPassword);

      const env = await owner.post<string>(`/v1/credentials/${registryId}/export?format=env`);
      expect(env.headers.get('content-type')).toContain('text/plain');
      expect(env.body).toContain(`DOCKER_PASSWORD='${registryPassword}'`);

      expectError(await owner.post(`/v1/credentials/${registryId}/export?format=zip`), 400, 'VALIDATION_FAILED', /^Invalid field format/);
      const audit = await stack.database.query<{ actor: string; format: string; address: string }>(
        'SELECT actor, format, address FROM credentials.export_audit WHERE credential_id = $1 ORDER BY id',
        [registryId],
      );
      expect(audit.map((row) => row.format)).toEqual(['dockerconfigjson', 'kubernetes-secret', 'env']);
      expect(audit.every((row) => row.actor === owner.credentials?.username && row.address === '127.0.0.1')).toBe(true);
    });
  });

  describe('authorization', () => {
    it('hides one account’s resources from another account’s users (404, never a leak)', async () => {
      const other = stack.client().as(await stack.newUser(await stack.newAccount()));
      const mine = (await owner.get<StoredCredentialView[]>('/v1/credentials?limit=1')).body[0];
      expectError(await other.get(`/v1/credentials/${mine?.id ?? randomUUID()}`), 404, 'CREDENTIAL_NOT_FOUND');
      expectError(await other.delete(`/v1/credentials/${mine?.id ?? randomUUID()}`), 404, 'CREDENTIAL_NOT_FOUND');
      expectError(await other.post(`/v1/credentials/${mine?.id ?? randomUUID()}/export?format=env`), 404, 'CREDENTIAL_NOT_FOUND');
      expectError(await other.get('/v1/projects/alpha'), 404, 'PROJECT_NOT_FOUND');
      expect((await other.get('/v1/credentials')).body).toEqual([]);
      expect((await other.inAccount(account).get('/v1/credentials')).status).toBe(403);
    });

    it('lets an administrator act in the account with x-anchore-account', async () => {
      const listed = await stack.adminClient().inAccount(account).get<StoredCredentialView[]>('/v1/credentials?limit=1000');
      expect(listed.status).toBe(200);
      expect(listed.body.length).toBeGreaterThan(5);
      expectError(await stack.adminClient().inAccount('nosuchaccount').get('/v1/credentials'), 404, 'ACCOUNT_NOT_FOUND');
    });
  });

  describe('purge contract', () => {
    it('deletes an account’s resources in batches, idempotently, answering what is left', async () => {
      const doomed = await stack.newAccount();
      const client = stack.adminClient().inAccount(doomed);
      await client.post('/v1/projects', { name: 'p1' });
      for (let i = 0; i < 5; i += 1) {
        await client.post('/v1/credentials', {
          name: `c${i}`,
          type: 'password',
          scope: 'project',
          project: 'p1',
          values: { username: 'u', password: 'secret-1' },
        });
      }
      await client.post('/v1/secrets', { namespace: 'keyward', name: 's1', data: { a: 'b' } });
      const [{ id: accountId }] = (await stack.database.query<{ id: string }>('SELECT id FROM identity.accounts WHERE name = $1', [doomed])) as [
        { id: string },
      ];
      const [{ id: systemId }] = (await stack.database.query<{ id: string }>(`SELECT id FROM identity.accounts WHERE name = 'keyward-system'`)) as [
        { id: string },
      ];
      const principal = { username: 'keyward-system', accountId: systemId, accountName: 'keyward-system', accountType: 'service', accountState: 'enabled' };

      const nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
      const codec = JSONCodec<{ response?: { remaining: Record<string, number> }; err?: unknown }>();
      const purge = async () => {
        const subject = `${stack.env['KEYWARD_NATS_PREFIX']}.credentials.account.purge`;
        const reply = await nats.request(
          subject,
          JSONCodec().encode({ pattern: subject, id: randomUUID(), data: { principal, accountId, batchSize: 2, timeBudgetMs: 0 } }),
          { timeout: 5000 },
        );
        return codec.decode(reply.data);
      };
      // An account that is not being deleted is never purged, whoever asks.
      expect((await purge()).err).toMatchObject({ code: 'INVALID_STATE_CHANGE' });
      expect((await client.get<StoredCredentialView[]>('/v1/credentials')).body).toHaveLength(5);
      // Marked deleting by hand (no event, so no reaper takes it), it is.
      await stack.database.query(`UPDATE identity.accounts SET state = 'deleting' WHERE id = $1`, [accountId]);
      const seen: Array<Record<string, number> | undefined> = [];
      for (let i = 0; i < 6; i += 1) seen.push((await purge()).response?.remaining);
      await nats.close();
      expect(seen[0]).toEqual({ credentials: 3, projects: 1, secrets: 1, deliveredSecrets: 0 });
      expect(seen[2]).toEqual({ credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 0 });
      expect(seen.slice(3)).toEqual([
        { credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 0 },
        { credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 0 },
        { credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 0 },
      ]);
      expect((await stack.adminClient().inAccount(doomed).get('/v1/credentials')).body).toEqual([]);
    });

    it('deletes batch after batch within one request’s time budget, and counts what is left only up to 10,000', async () => {
      const doomed = await stack.newAccount();
      const [{ id: accountId }] = (await stack.database.query<{ id: string }>('SELECT id FROM identity.accounts WHERE name = $1', [doomed])) as [
        { id: string },
      ];
      const [{ id: systemId }] = (await stack.database.query<{ id: string }>(`SELECT id FROM identity.accounts WHERE name = 'keyward-system'`)) as [
        { id: string },
      ];
      const principal = { username: 'keyward-system', accountId: systemId, accountName: 'keyward-system', accountType: 'service', accountState: 'enabled' };
      await stack.database.query(
        `INSERT INTO credentials.credentials (id, account_id, name, type, scope, public_values, values_sealed, created_by)
         SELECT gen_random_uuid(), $1, 'bulk-' || g, 'password', 'all', '{"username":"u"}', 'kw1.test.AA.AA.AA', 'test' FROM generate_series(1, 10050) g`,
        [accountId],
      );
      await stack.database.query(`UPDATE identity.accounts SET state = 'deleting' WHERE id = $1`, [accountId]);
      const nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
      const subject = `${stack.env['KEYWARD_NATS_PREFIX']}.credentials.account.purge`;
      const purge = async (data: Record<string, unknown>) =>
        JSONCodec<{ response?: { remaining: Record<string, number> } }>().decode(
          (await nats.request(subject, JSONCodec().encode({ pattern: subject, id: randomUUID(), data: { principal, accountId, ...data } }), { timeout: 5000 }))
            .data,
        ).response?.remaining;
      try {
        // One batch of 10: 10,040 left, counted as 10,000 (that many or more).
        expect(await purge({ batchSize: 10, timeBudgetMs: 0 })).toEqual({ credentials: 10000, projects: 0, secrets: 0, deliveredSecrets: 0 });
        // With the default budget one request goes on until nothing is left.
        expect(await purge({ batchSize: 1000 })).toEqual({ credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 0 });
      } finally {
        await nats.close();
      }
      const [left] = await stack.database.query<{ n: number }>('SELECT count(*)::int AS n FROM credentials.credentials WHERE account_id = $1', [accountId]);
      expect(left).toEqual({ n: 0 });
    });

    it('refuses a purge asked by an ordinary user principal', async () => {
      const [{ id: accountId }] = (await stack.database.query<{ id: string }>('SELECT id FROM identity.accounts WHERE name = $1', [account])) as [
        { id: string },
      ];
      const nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
      const subject = `${stack.env['KEYWARD_NATS_PREFIX']}.credentials.account.purge`;
      const principal = { username: 'someone', accountId, accountName: account, accountType: 'user', accountState: 'enabled' };
      const reply = await nats.request(subject, JSONCodec().encode({ pattern: subject, id: randomUUID(), data: { principal, accountId, batchSize: 100 } }), {
        timeout: 5000,
      });
      await nats.close();
      expect(JSONCodec<{ err?: { code: string } }>().decode(reply.data).err?.code).toBe('FORBIDDEN');
      expect((await owner.get<StoredCredentialView[]>('/v1/credentials?limit=1000')).body.length).toBeGreaterThan(5);
    });
  });

  describe('logs', () => {
    it('hold no secret value written by any test above', async () => {
      expect(secrets.length).toBeGreaterThan(10);
      const logs = await stack.flushedLogs();
      expect(logs).toContain('request completed');
      for (const value of secrets) {
        expect(logs).not.toContain(value);
      }
    });
  });
});
