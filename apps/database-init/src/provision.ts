import { DATABASE_SERVICES, type DatabaseService, SERVICE_SCHEMAS, serviceRoleName } from '@keyward/contracts';
import { type Client } from 'pg';

export interface ServiceRole {
  service: DatabaseService;
  role: string;
  /** Unset: the role gets no password (only for trust or peer authentication). */
  password?: string;
}

export interface ProvisionResult {
  database: string;
  roles: { service: DatabaseService; role: string; schema: string; created: boolean; objectsReassigned: number }[];
}

/** The roles of every service that keeps data, named from a prefix. */
export function serviceRoles(prefix: string, passwords: Partial<Record<DatabaseService, string>>): ServiceRole[] {
  return DATABASE_SERVICES.map((service) => ({ service, role: serviceRoleName(prefix, service), password: passwords[service] }));
}

/**
 * Run by the database superuser, and only this: makes one login role per service, with no
 * privilege but to connect to this database and to own its schema. Idempotent, so it runs before
 * every start: an existing role gets its password set again, and tables an earlier deployment
 * created under another role (one shared role, before this) are handed to the schema's service.
 *
 * - `PUBLIC` loses CONNECT and TEMPORARY on the database and every privilege on schema `public`,
 *   so no other role of the cluster reaches it and no service can create objects outside its schema.
 * - Each schema is owned by its service's role and revoked from `PUBLIC`: a service reading
 *   another's schema gets `permission denied`.
 */
export async function provisionServiceDatabase(client: Client, roles: readonly ServiceRole[]): Promise<ProvisionResult> {
  const id = (name: string) => client.escapeIdentifier(name);
  const { rows } = await client.query<{ database: string; superuser: boolean }>(
    `SELECT current_database() AS database, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
  );
  const database = rows[0]?.database ?? '';
  if (!rows[0]?.superuser) {
    throw new ProvisionError("DATABASE_URL must name a superuser (it creates the services' roles and schemas, and nothing else uses it)");
  }
  const result: ProvisionResult = { database, roles: [] };
  await client.query('BEGIN');
  try {
    // One run at a time, whatever the number of replicas that start together.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('keyward:database-init'))`);
    await client.query(`REVOKE ALL ON DATABASE ${id(database)} FROM PUBLIC`);
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (const { service, role, password } of roles) {
      const schema = SERVICE_SCHEMAS[service];
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD ${password === undefined ? 'NULL' : client.escapeLiteral(password)}`;
      await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${id(role)} ${exists ? 'WITH ' : ''}${attributes}`);
      await client.query(`GRANT CONNECT ON DATABASE ${id(database)} TO ${id(role)}`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${id(schema)} AUTHORIZATION ${id(role)}`);
      await client.query(`ALTER SCHEMA ${id(schema)} OWNER TO ${id(role)}`);
      await client.query(`REVOKE ALL ON SCHEMA ${id(schema)} FROM PUBLIC`);
      const reassigned = await reassignSchemaObjects(client, schema, role);
      result.roles.push({ service, role, schema, created: !exists, objectsReassigned: reassigned });
    }
    await client.query('COMMIT');
  } catch (error: unknown) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return result;
}

/**
 * Tables, views and free-standing sequences of `schema` not owned by `role` become its (a
 * sequence that belongs to a table column follows its table). Returns how many changed.
 */
async function reassignSchemaObjects(client: Client, schema: string, role: string): Promise<number> {
  const { rows } = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND pg_get_userbyid(c.relowner) <> $2
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
      ORDER BY c.relkind = 'S', c.relname`,
    [schema, role],
  );
  for (const { name, kind } of rows) {
    const statement = kind === 'S' ? 'SEQUENCE' : kind === 'v' ? 'VIEW' : kind === 'm' ? 'MATERIALIZED VIEW' : kind === 'f' ? 'FOREIGN TABLE' : 'TABLE';
    await client.query(`ALTER ${statement} ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)} OWNER TO ${client.escapeIdentifier(role)}`);
  }
  return rows.length;
}

export class ProvisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisionError';
  }
}
