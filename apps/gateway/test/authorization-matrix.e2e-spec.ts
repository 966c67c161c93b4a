import { type ApiClient, type Credentials, randomPassword, TestStack, uniqueName } from '@keyward/testing';

/**
 * Every operation of the gateway's OpenAPI document, as every kind of caller, against the one
 * table below (docs/authorization.md in code). An operation without a row fails the test, so a new
 * route cannot ship before someone has decided who may call it.
 *
 * Columns, each a caller and whom it acts on (the path's account, user and resources):
 *   anon      no credentials, on account A's user bob
 *   own       alice (plain user of A), on A and on herself
 *   peer      alice, on A's other plain user bob
 *   other     alice, on account B and its user carol (x-anchore-account: B)
 *   staff     a staff user of another account, on B / carol
 *   super     a superuser of another account, on B / carol
 *   admin     a user of the admin account, on B / carol
 *   readOnly  alice's read-only API token, on A / herself
 *   session   alice's console session, on A / herself
 * A request that changes something runs in a world of its own (fresh A, B and their users), so
 * no cell depends on another. An account to delete is disabled first, as Anchore requires.
 * Besides 401 and 403, a 400 is Anchore's own refusal of a legal caller: deleting oneself or one's
 * own password (SELF_DELETION), a session changing its password without currentPassword, a
 * sign-out without a session. A user naming another account in x-anchore-account is refused
 * (`GET /v1/account` as `other`); the routes about the caller itself ignore the header.
 */
const COLUMNS = ['anon', 'own', 'peer', 'other', 'staff', 'super', 'admin', 'readOnly', 'session'] as const;
type Column = (typeof COLUMNS)[number];

//                                                          anon own peer other staff super admin  ro  session
const MATRIX: Record<string, string> = {
  'GET /v1': '                                              200  200  200  200  200  200  200  200  200',
  'GET /health/live': '                                     200  200  200  200  200  200  200  200  200',
  'GET /health/ready': '                                    200  200  200  200  200  200  200  200  200',
  'GET /v1/account': '                                      401  200  200  403  200  200  200  200  200',
  'GET /v1/user': '                                         401  200  200  200  200  200  200  200  200',
  'GET /v1/user/credentials': '                             401  200  200  200  200  200  200  200  200',
  'POST /v1/user/credentials': '                            401  200  200  200  200  200  200  403  200',
  'GET /v1/accounts': '                                     401  403  403  403  200  200  200  403  403',
  'POST /v1/accounts': '                                    401  403  403  403  403  200  200  403  403',
  'GET /v1/accounts/{account}': '                           401  200  200  403  200  200  200  200  200',
  'DELETE /v1/accounts/{account}': '                        401  403  403  403  403  200  200  403  403',
  'PUT /v1/accounts/{account}/state': '                     401  403  403  403  403  200  200  403  403',
  'GET /v1/accounts/{account}/users': '                     401  200  200  403  200  200  200  200  200',
  'POST /v1/accounts/{account}/users': '                    401  200  200  403  403  200  200  403  200',
  'GET /v1/accounts/{account}/users/{username}': '          401  200  200  403  200  200  200  200  200',
  'DELETE /v1/accounts/{account}/users/{username}': '       401  400  204  403  403  204  204  403  400',
  'GET /v1/accounts/{account}/users/{username}/credentials': '401  200  200  403  200  200  200  200  200',
  'POST /v1/accounts/{account}/users/{username}/credentials': '401  200  200  403  403  200  200  403  400',
  'DELETE /v1/accounts/{account}/users/{username}/credentials': '401  400  204  403  403  204  204  403  400',
  'GET /v1/admin/users': '                                  401  403  403  403  403  200  200  403  403',
  'PATCH /v1/admin/users/{username}': '                     401  403  403  403  403  200  200  403  403',
  'DELETE /v1/admin/users/{username}/tokens': '             401  403  403  403  403  200  200  403  403',
  'POST /v1/user/tokens': '                                 401  201  201  201  201  201  201  403  201',
  'GET /v1/user/tokens': '                                  401  200  200  200  200  200  200  200  200',
  'DELETE /v1/user/tokens/{id}': '                          401  204  404  404  404  404  404  403  204',
  'GET /v1/admin/tokens': '                                 401  403  403  403  200  200  200  403  403',
  'GET /v1/admin/audit': '                                  401  403  403  403  200  200  200  403  403',
  'DELETE /v1/admin/tokens/{id}': '                         401  403  403  403  403  204  204  403  403',
  'POST /v1/session': '                                     401  201  201  201  201  201  201  403  403',
  'DELETE /v1/session': '                                   401  400  400  400  400  400  400  403  204',
  'POST /v1/projects': '                                    401  201  201  403  403  201  201  403  201',
  'GET /v1/projects': '                                     401  200  200  403  200  200  200  200  200',
  'GET /v1/projects/{name}': '                              401  200  200  403  200  200  200  200  200',
  'PATCH /v1/projects/{name}': '                            401  200  200  403  403  200  200  403  200',
  'DELETE /v1/projects/{name}': '                           401  204  204  403  403  204  204  403  204',
  'GET /v1/projects/{name}/credentials': '                  401  200  200  403  200  200  200  200  200',
  'POST /v1/credentials': '                                 401  201  201  403  403  201  201  403  201',
  'GET /v1/credentials': '                                  401  200  200  403  200  200  200  200  200',
  'GET /v1/credentials/{id}': '                             401  200  200  403  200  200  200  200  200',
  'PATCH /v1/credentials/{id}': '                           401  200  200  403  403  200  200  403  200',
  'DELETE /v1/credentials/{id}': '                          401  204  204  403  403  204  204  403  204',
  'POST /v1/credentials/{id}/export': '                     401  200  200  403  403  200  200  403  200',
  'POST /v1/secrets': '                                     401  201  201  403  403  201  201  403  201',
  'GET /v1/secrets': '                                      401  200  200  403  200  200  200  200  200',
  'DELETE /v1/secrets/{namespace}/{name}': '                401  204  204  403  403  204  204  403  204',
};

function expectedRow(operation: string): Record<Column, number> {
  const statuses = (MATRIX[operation] ?? '').trim().split(/\s+/).map(Number);
  if (statuses.length !== COLUMNS.length || statuses.some(Number.isNaN)) throw new Error(`The row of ${operation} needs ${COLUMNS.length} statuses`);
  return Object.fromEntries(COLUMNS.map((column, i) => [column, statuses[i]])) as Record<Column, number>;
}

interface Account {
  name: string;
  project: string;
  credential: string;
  secret: { namespace: string; name: string };
}

/** What a column's request is made against: two accounts, three plain users and their tokens. */
interface World {
  a: Account;
  b: Account;
  alice: Credentials;
  bob: Credentials;
  carol: Credentials;
  tokenIds: Record<'alice' | 'bob' | 'carol', string>;
  readOnlyToken: string;
  session: string;
}

const VALUES = { username: 'matrix', password: 'matrix-password' };

/** A body that passes validation, so the status is the authorization decision. */
function bodyOf(operation: string, actor: Credentials | undefined, column: Column): unknown {
  const [method, path] = operation.split(' ');
  if (method === 'GET' || method === 'DELETE') return undefined;
  switch (path) {
    case '/v1/user/credentials':
      // The caller's own password again: the shared callers keep theirs.
      return { type: 'password', value: actor?.password ?? randomPassword(), currentPassword: actor?.password };
    case '/v1/accounts':
      return { name: uniqueName('mx'), email: 'matrix@example.test' };
    case '/v1/accounts/{account}/state':
      return { state: 'disabled' };
    case '/v1/accounts/{account}/users':
      return { username: uniqueName('mxu'), password: randomPassword() };
    case '/v1/accounts/{account}/users/{username}/credentials':
      return { type: 'password', value: randomPassword() };
    case '/v1/admin/users/{username}':
      return { staff: true };
    case '/v1/user/tokens':
      return { name: `matrix-${column}` };
    case '/v1/session':
      return undefined;
    case '/v1/projects':
      return { name: uniqueName('mxp') };
    case '/v1/projects/{name}':
      return { description: 'changed by the matrix' };
    case '/v1/credentials':
      return { name: uniqueName('mxc'), type: 'password', scope: 'all', values: VALUES };
    case '/v1/credentials/{id}':
      return { description: 'changed by the matrix' };
    case '/v1/credentials/{id}/export':
      return undefined;
    case '/v1/secrets':
      return { namespace: 'matrix', name: uniqueName('mxs'), data: { key: 'value' } };
    default:
      throw new Error(`No body for ${operation}: add one to bodyOf`);
  }
}

describe('authorization matrix: every OpenAPI operation as every kind of caller', () => {
  let stack: TestStack;
  let staff: Credentials;
  let superuser: Credentials;
  let operations: string[];

  beforeAll(async () => {
    stack = await TestStack.start();
    staff = await stack.newUser(await stack.newAccount());
    superuser = await stack.newUser(await stack.newAccount());
    expect((await stack.adminClient().request('PATCH', `/v1/admin/users/${staff.username}`, { staff: true })).status).toBe(200);
    expect((await stack.adminClient().request('PATCH', `/v1/admin/users/${superuser.username}`, { superuser: true })).status).toBe(200);
    const document = await stack.client().get<{ paths: Record<string, Record<string, unknown>> }>('/docs/openapi.json');
    operations = Object.entries(document.body.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function newAccountWithResources(): Promise<Account> {
    const name = await stack.newAccount();
    const admin = stack.adminClient().inAccount(name);
    const project = uniqueName('proj');
    const secret = { namespace: 'matrix', name: uniqueName('sec') };
    const created = await Promise.all([
      admin.post('/v1/projects', { name: project }),
      admin.post<{ id: string }>('/v1/credentials', { name: uniqueName('cred'), type: 'password', scope: 'all', values: VALUES }),
      admin.post('/v1/secrets', { ...secret, data: { key: 'value' } }),
    ]);
    for (const response of created) expect(response.status).toBe(201);
    return { name, project, credential: (created[1].body as { id: string }).id, secret };
  }

  async function newWorld(): Promise<World> {
    const [a, b] = await Promise.all([newAccountWithResources(), newAccountWithResources()]);
    const [alice, bob, carol] = await Promise.all([stack.newUser(a.name), stack.newUser(a.name), stack.newUser(b.name)]);
    const token = async (user: Credentials, body: Record<string, unknown>, path = '/v1/user/tokens') => {
      const response = await stack.client().as(user).post<{ id: string; token: string }>(path, body);
      expect(response.status).toBe(201);
      return response.body;
    };
    const [aliceToken, bobToken, carolToken, readOnly, session] = await Promise.all([
      token(alice, { name: 'alice' }),
      token(bob, { name: 'bob' }),
      token(carol, { name: 'carol' }),
      token(alice, { name: 'alice-ro', readOnly: true }),
      token(alice, {}, '/v1/session'),
    ]);
    return {
      a,
      b,
      alice,
      bob,
      carol,
      tokenIds: { alice: aliceToken.id, bob: bobToken.id, carol: carolToken.id },
      readOnlyToken: readOnly.token,
      session: session.token,
    };
  }

  /** The client of a column and whom it acts on. */
  function caller(world: World, column: Column): { client: ApiClient; actor?: Credentials; account: Account; user: 'alice' | 'bob' | 'carol' } {
    const client = stack.client();
    switch (column) {
      case 'anon':
        return { client, account: world.a, user: 'bob' };
      case 'own':
        return { client: client.as(world.alice), actor: world.alice, account: world.a, user: 'alice' };
      case 'peer':
        return { client: client.as(world.alice), actor: world.alice, account: world.a, user: 'bob' };
      case 'other':
        return { client: client.as(world.alice).inAccount(world.b.name), actor: world.alice, account: world.b, user: 'carol' };
      case 'staff':
        return { client: client.as(staff).inAccount(world.b.name), actor: staff, account: world.b, user: 'carol' };
      case 'super':
        return { client: client.as(superuser).inAccount(world.b.name), actor: superuser, account: world.b, user: 'carol' };
      case 'admin':
        return { client: stack.adminClient().inAccount(world.b.name), actor: stack.admin, account: world.b, user: 'carol' };
      case 'readOnly':
        return { client: client.withToken(world.readOnlyToken, 'bearer'), actor: world.alice, account: world.a, user: 'alice' };
      case 'session':
        return { client: client.withToken(world.session, 'bearer'), actor: world.alice, account: world.a, user: 'alice' };
    }
  }

  function pathOf(operation: string, world: World, target: ReturnType<typeof caller>): string {
    const [, template = ''] = operation.split(' ');
    const account = target.account;
    const path = template
      .replace('{account}', account.name)
      .replace('{username}', world[target.user].username)
      .replace('{id}', template.includes('tokens') ? world.tokenIds[target.user] : account.credential)
      .replace('{namespace}', account.secret.namespace)
      .replace('{name}', template.startsWith('/v1/projects') ? account.project : account.secret.name);
    if (template === '/v1/accounts/{account}/users/{username}/credentials' && operation.startsWith('DELETE')) return `${path}?credential_type=password`;
    if (template === '/v1/credentials/{id}/export') return `${path}?format=env`;
    return path;
  }

  it('has a row for every operation of the OpenAPI document, and no row for one it lacks', () => {
    expect([...operations].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it('answers every operation, for every caller, as the table says', async () => {
    const shared = await newWorld();
    const cells = operations.flatMap((operation) => COLUMNS.map((column) => ({ operation, column })));
    const mismatches: string[] = [];
    const run = async ({ operation, column }: { operation: string; column: Column }) => {
      const expected = expectedRow(operation)[column];
      const world = operation.startsWith('GET ') ? shared : await newWorld();
      const target = caller(world, column);
      if (operation === 'DELETE /v1/accounts/{account}') {
        expect((await stack.adminClient().put(`/v1/accounts/${target.account.name}/state`, { state: 'disabled' })).status).toBe(200);
      }
      const [method = 'GET'] = operation.split(' ');
      const response = await target.client.request(method, pathOf(operation, world, target), bodyOf(operation, target.actor, column));
      if (response.status !== expected) {
        mismatches.push(`${operation} as ${column}: ${response.status} ${JSON.stringify(response.body).slice(0, 160)} (the table says ${expected})`);
      }
    };
    // A few at a time: every changing request builds its own world first.
    const queue = [...cells];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let cell = queue.shift(); cell; cell = queue.shift()) await run(cell);
      }),
    );
    expect(mismatches.sort()).toEqual([]);
  }, 300_000);
});
