import { DATABASE_SERVICES, type DatabaseService, SERVICE_SCHEMAS } from '@keyward/contracts';
import { ServiceProcess, TestDatabase, TestStack } from '@keyward/testing';
import { Client } from 'pg';

/** Each service's role owns its schema and reaches nothing else; each service holds only its own key ring. */
describe('isolation at rest', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start();
    // Something in every schema: an account with a token and a credential, and one deleted.
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    expect((await stack.client().as(user).post('/v1/user/tokens', { name: 'isolation' })).status).toBe(201);
    const admin = stack.adminClient().inAccount(account);
    expect((await admin.post('/v1/credentials', { name: 'iso', type: 'password', scope: 'all', values: { username: 'u', password: 'p' } })).status).toBe(201);
    const doomed = await stack.newAccount();
    expect((await stack.adminClient().put(`/v1/accounts/${doomed}/state`, { state: 'disabled' })).status).toBe(200);
    expect((await stack.adminClient().delete(`/v1/accounts/${doomed}`)).status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function as<T>(service: DatabaseService, run: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: stack.envOf(service)['DATABASE_URL'] });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }

  const sqlState = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => 'succeeded',
      (error: { code?: string }) => error.code ?? 'no code',
    );

  it('a service role is refused on every table of the other schemas, and reads its own', async () => {
    const tables = await stack.database.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_schema = ANY($1) ORDER BY 1, 2`,
      [Object.values(SERVICE_SCHEMAS)],
    );
    for (const schema of Object.values(SERVICE_SCHEMAS)) {
      expect(tables.filter((table) => table.schema === schema).length).toBeGreaterThan(0);
    }
    for (const service of DATABASE_SERVICES) {
      const outcomes = await as(service, async (client) => {
        const seen: Record<string, string> = {};
        for (const { schema, name } of tables) {
          seen[`${schema}.${name}`] = await sqlState(client.query(`SELECT 1 FROM "${schema}"."${name}" LIMIT 1`));
        }
        return seen;
      });
      const expected = Object.fromEntries(tables.map(({ schema, name }) => [`${schema}.${name}`, schema === SERVICE_SCHEMAS[service] ? 'succeeded' : '42501']));
      expect({ service, outcomes }).toEqual({ service, outcomes: expected });
    }
  });

  it('a service role is no superuser and can create nothing outside its schema', async () => {
    for (const service of DATABASE_SERVICES) {
      await as(service, async (client) => {
        const { rows } = await client.query<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
          'SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user',
        );
        expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
        expect(await sqlState(client.query('CREATE SCHEMA intruder'))).toBe('42501');
        expect(await sqlState(client.query('CREATE TABLE public.intruder (id int)'))).toBe('42501');
        const other = DATABASE_SERVICES.find((candidate) => candidate !== service) ?? 'identity';
        expect(await sqlState(client.query(`CREATE TABLE "${SERVICE_SCHEMAS[other]}".intruder (id int)`))).toBe('42501');
        expect(await sqlState(client.query(`CREATE TABLE "${SERVICE_SCHEMAS[service]}".own_scratch (id int)`))).toBe('succeeded');
        await client.query(`DROP TABLE "${SERVICE_SCHEMAS[service]}".own_scratch`);
      });
    }
  });

  it("identity refuses credentials' key ring and credentials refuses identity's, naming the variable", async () => {
    const identity = ServiceProcess.start('identity', {
      ...stack.envOf('identity'),
      KEYWARD_MASTER_KEYS: stack.envOf('credentials')['KEYWARD_MASTER_KEYS'] ?? '',
    });
    const credentials = ServiceProcess.start('credentials', {
      ...stack.envOf('credentials'),
      KEYWARD_TOKEN_KEYS: stack.envOf('identity')['KEYWARD_TOKEN_KEYS'] ?? '',
    });
    expect(await identity.exit()).toBe(1);
    expect(await credentials.exit()).toBe(1);
    expect(identity.logs).toContain('KEYWARD_MASTER_KEYS: must not be given to identity');
    expect(credentials.logs).toContain('KEYWARD_TOKEN_KEYS: must not be given to credentials');
    for (const ring of [stack.envOf('credentials')['KEYWARD_MASTER_KEYS'], stack.envOf('identity')['KEYWARD_TOKEN_KEYS']]) {
      expect(identity.logs + credentials.logs).not.toContain(ring?.split(':')[1]);
    }
  });

  it('database-init hands a database set up under one shared role over to the service roles', async () => {
    const database = await TestDatabase.create();
    try {
      // The shape before roles per service: every service as the superuser.
      const legacy = {
        DATABASE_URL: database.url,
        KEYWARD_NATS_PREFIX: `${stack.env['KEYWARD_NATS_PREFIX']}legacy`,
        KEYWARD_TOKEN_KEYS: stack.envOf('identity')['KEYWARD_TOKEN_KEYS'] ?? '',
      };
      const command = ServiceProcess.start('identity', legacy, ['rotate-keys']);
      expect(await command.exit()).toBe(0);
      const roles = await database.provisionServiceRoles();
      const owners = await database.query<{ owner: string }>(`SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'identity'`);
      expect(owners.map((row) => row.owner)).toEqual([new URL(roles.identity).username]);
      // identity now starts as its own role on the handed-over schema.
      const again = ServiceProcess.start('identity', { ...legacy, DATABASE_URL: roles.identity }, ['rotate-keys']);
      expect(await again.exit()).toBe(0);
      expect(again.logs).toContain('Re-sealed 0 API token secret(s)');
    } finally {
      await database.drop();
    }
  });
});
