import { type AuditRecordView, type StoredCredentialView } from '@keyward/contracts';
import { type ApiClient, eventually, randomPassword, ServiceProcess, TestStack } from '@keyward/testing';

/** The audit log through the gateway: every change recorded, filtered, paged, chained and verified. */
describe('the audit log', () => {
  let stack: TestStack;
  let admin: ApiClient;

  beforeAll(async () => {
    stack = await TestStack.start();
    admin = stack.adminClient();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const audit = async (query: string, client: ApiClient = admin) => {
    const response = await client.get<AuditRecordView[]>(`/v1/admin/audit?${query}`);
    expect(response.status).toBe(200);
    return response;
  };

  const verify = async () => {
    const command = ServiceProcess.start('identity', stack.envOf('identity'), ['audit', 'verify']);
    return { exit: await command.exit(), logs: command.logs };
  };

  it('records every change with who, what, when, from where, the request id and the result; never a secret', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const secretPassword = `pw-${randomPassword()}`;
    const owner = admin.inAccount(account);

    const created = await owner.request<StoredCredentialView>(
      'POST',
      '/v1/credentials',
      { name: 'registry', type: 'password', scope: 'all', values: { username: 'robot', password: secretPassword } },
      { 'x-request-id': 'trace-1234' },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('trace-1234');
    expect((await owner.post('/v1/projects', { name: 'web' })).status).toBe(201);
    expect((await owner.patch(`/v1/credentials/${created.body.id}`, { scope: 'project', project: 'web' })).status).toBe(200);
    const token = await admin.as(user).post<{ token: string; id: string }>('/v1/user/tokens', { name: 'ci' });
    expect(token.status).toBe(201);
    // A refusal is recorded too: the account's user may not create an account.
    expect((await admin.as(user).post('/v1/accounts', { name: 'not-allowed' })).status).toBe(403);

    const records = (await audit(`account=${account}&limit=100`)).body;
    const actions = records.map((record) => record.action);
    expect(actions).toEqual(expect.arrayContaining(['account.create', 'user.create', 'credential.create', 'project.create', 'credential.update']));
    const create = records.find((record) => record.action === 'credential.create');
    expect(create).toMatchObject({
      actor: { username: 'admin', account: 'admin' },
      address: '127.0.0.1',
      requestId: 'trace-1234',
      resource: { type: 'credential', id: created.body.id, account },
      after: { name: 'registry', type: 'password', scope: 'all' },
      result: { outcome: 'success', status: 201 },
    });
    const update = records.find((record) => record.action === 'credential.update');
    expect(update?.before).toMatchObject({ scope: 'all', project: null });
    expect(update?.after).toMatchObject({ scope: 'project', project: 'web' });

    const byUser = (await audit(`actor=${user.username}`)).body;
    expect(byUser.find((record) => record.action === 'token.create')).toMatchObject({
      resource: { type: 'token', id: token.body.id, account },
      result: { outcome: 'success' },
    });
    // A change to the caller's own user names that user.
    expect((await admin.as(user).post('/v1/session')).status).toBe(201);
    expect((await audit(`actor=${user.username}&action=session.create`)).body[0]).toMatchObject({ resource: { type: 'session', id: user.username, account } });
    expect(byUser.find((record) => record.action === 'account.create')).toMatchObject({ result: { outcome: 'failure', status: 403, code: 'FORBIDDEN' } });

    const refusals = (await audit(`actor=${user.username}&outcome=failure`)).body;
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((record) => record.result.outcome === 'failure')).toBe(true);

    const everything = JSON.stringify((await audit('limit=1000')).body);
    expect(everything).not.toContain(secretPassword);
    expect(everything).not.toContain(token.body.token);
    expect(everything).not.toContain(user.password);
    // Each record also goes to identity's JSON log.
    await eventually('the record in the log', async () => ((await stack.flushedLogs()).includes(`"requestId":"trace-1234"`) ? true : undefined), 10_000, 100);
  });

  it('records a refused sign-in, with the username and never the password', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const wrong = `wrong-${randomPassword()}`;
    expect((await admin.as({ username: user.username, password: wrong }).post('/v1/session')).status).toBe(401);
    const refused = await eventually('the refused sign-in', async () =>
      (await audit(`actor=${user.username}&action=session.create`)).body.find((record) => record.result.outcome === 'failure'),
    );
    expect(refused).toMatchObject({ resource: { type: 'session', id: user.username }, result: { status: 401 } });
    expect(JSON.stringify(refused)).not.toContain(wrong);
  });

  it('filters by action, resource and time, and pages with a cursor without repeating a record', async () => {
    const account = await stack.newAccount();
    const owner = admin.inAccount(account);
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) expect((await owner.post('/v1/projects', { name })).status).toBe(201);

    const first = await audit(`account=${account}&action=project.create&limit=2`);
    expect(first.body.map((record) => record.resource.id)).toEqual(['p5', 'p4']);
    expect(first.headers.get('x-total-count')).toBe('5');
    const second = await audit(`account=${account}&action=project.create&limit=2&after=${first.headers.get('x-next-cursor') ?? ''}`);
    expect(second.body.map((record) => record.resource.id)).toEqual(['p3', 'p2']);
    expect((await audit(`account=${account}&resource=project&limit=100`)).body).toHaveLength(5);
    expect((await audit(`account=${account}&action=project`)).body).toHaveLength(5);
    expect((await audit(`account=${account}&until=2000-01-01`)).body).toHaveLength(0);
    expect((await audit(`account=${account}&since=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`)).body.length).toBeGreaterThanOrEqual(6);

    const bad = await admin.get<{ detail: { error_codes: string[] } }>('/v1/admin/audit?since=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('since');
    expect((await admin.get('/v1/admin/audit?after=abc')).status).toBe(400);
  });

  it('is for administrators and staff; the account users are refused', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    expect((await admin.as(user).get('/v1/admin/audit')).status).toBe(403);
    expect((await admin.patch(`/v1/admin/users/${user.username}`, { staff: true })).status).toBe(200);
    const asStaff = await eventually('staff to read the log', async () => {
      const response = await admin.as(user).get<AuditRecordView[]>('/v1/admin/audit?action=user.update-roles');
      return response.status === 200 ? response : undefined;
    });
    expect(asStaff.body[0]).toMatchObject({ resource: { type: 'user', id: user.username }, before: { staff: false }, after: { staff: true } });
  });

  it('records what the management commands change: roles and key rotation', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const grant = ServiceProcess.start('identity', stack.envOf('identity'), ['add_superuser', '--username', user.username]);
    expect(await grant.exit()).toBe(0);
    const [roles] = (await audit(`action=user.update-roles&resource_id=${user.username}`)).body;
    expect(roles).toMatchObject({ actor: { system: 'manage' }, before: { superuser: false }, after: { superuser: true }, result: { outcome: 'success' } });

    const rotation = ServiceProcess.start('credentials', stack.envOf('credentials'), ['rotate-keys']);
    expect(await rotation.exit()).toBe(0);
    const rotated = (await audit('action=keys.rotate')).body;
    expect(rotated.find((record) => record.resource.id === 'KEYWARD_MASTER_KEYS')).toMatchObject({
      actor: { system: 'rotate-keys' },
      after: { keyId: 'test1' },
    });
    const tokens = ServiceProcess.start('identity', stack.envOf('identity'), ['rotate-keys']);
    expect(await tokens.exit()).toBe(0);
    expect((await audit('action=keys.rotate')).body.find((record) => record.resource.id === 'KEYWARD_TOKEN_KEYS')).toMatchObject({ after: { keyId: 'tok1' } });
  });

  it('verifies the chain, and finds a record deleted or changed afterwards', async () => {
    const intact = await verify();
    expect(intact.logs).toMatch(/Audit log intact: \d+ record\(s\)/);
    expect(intact.exit).toBe(0);

    // Records are never updated: the table refuses it even to its owner.
    await expect(stack.database.query(`UPDATE identity.audit_log SET action = 'account.create' WHERE seq = 2`)).rejects.toThrow(
      'audit records are never changed',
    );

    await stack.database.query(`ALTER TABLE identity.audit_log DISABLE TRIGGER audit_log_append_only`);
    await stack.database.query(`UPDATE identity.audit_log SET after = '{"name":"forged"}' WHERE seq = 3`);
    const changed = await verify();
    expect(changed.exit).toBe(1);
    expect(changed.logs).toContain('Audit log broken: record 3 was changed after it was written');

    await stack.database.query(`DELETE FROM identity.audit_log WHERE seq = 3`);
    const deleted = await verify();
    expect(deleted.exit).toBe(1);
    expect(deleted.logs).toContain('Audit log broken: record 3 is missing (deleted)');
  });
});
