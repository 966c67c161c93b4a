import { randomBytes } from 'node:crypto';
import { DATABASE_SERVICES, type DatabaseService, serviceRoleName } from '@keyward/contracts';
import { Client } from 'pg';
import { ServiceProcess } from './processes';

/** The server test databases are made on: the machine's, unless KEYWARD_TEST_POSTGRES_URL names another (read at each use, so a test may start its own first). */
export function testPostgresUrl(): string {
  return process.env['KEYWARD_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A database of the test's own, dropped by `drop()` with the service roles made for it. */
export class TestDatabase {
  private rolePrefix: string | undefined;

  private constructor(readonly name: string) {}

  static async create(): Promise<TestDatabase> {
    const name = `keyward_test_${randomBytes(6).toString('hex')}`;
    await onServer((client) => client.query(`CREATE DATABASE ${name}`));
    return new TestDatabase(name);
  }

  get url(): string {
    return withDatabase(testPostgresUrl(), this.name);
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /**
   * Runs `database-init` (as compose does) with a role prefix of this database's own, and returns
   * the URL each service connects with: its own role, never the superuser.
   */
  async provisionServiceRoles(): Promise<Record<DatabaseService, string>> {
    this.rolePrefix = `${this.name}_role`;
    const passwords = Object.fromEntries(DATABASE_SERVICES.map((service) => [service, randomBytes(18).toString('base64url')])) as Record<
      DatabaseService,
      string
    >;
    const init = ServiceProcess.start('database-init', {
      DATABASE_URL: this.url,
      KEYWARD_DATABASE_ROLE_PREFIX: this.rolePrefix,
      KEYWARD_IDENTITY_DATABASE_PASSWORD: passwords.identity,
      KEYWARD_CREDENTIALS_DATABASE_PASSWORD: passwords.credentials,
      KEYWARD_REAPER_DATABASE_PASSWORD: passwords.reaper,
    });
    if ((await init.exit()) !== 0) throw new Error(`database-init failed:\n${init.logs}`);
    return Object.fromEntries(
      DATABASE_SERVICES.map((service) => [service, this.urlAs(serviceRoleName(this.rolePrefix ?? '', service), passwords[service])]),
    ) as Record<DatabaseService, string>;
  }

  /** This database's URL as another role. */
  urlAs(role: string, password: string): string {
    const parsed = new URL(this.url);
    parsed.username = role;
    parsed.password = password;
    return parsed.toString();
  }

  async drop(): Promise<void> {
    await onServer(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
      for (const service of this.rolePrefix ? DATABASE_SERVICES : []) {
        await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(serviceRoleName(this.rolePrefix ?? '', service))}`);
      }
    });
  }
}
