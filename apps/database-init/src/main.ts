import { applyDecorators } from '@nestjs/common';
import { ConfigurationError, exitOnStartupFailure, loadConfig } from '@keyward/nest-common';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Client } from 'pg';
import { ProvisionError, provisionServiceDatabase, serviceRoles } from './provision';

const password = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    IsString(),
    MinLength(16, { message: 'must be at least 16 characters long' }),
    MaxLength(256, { message: 'must be at most 256 characters long' }),
  );

/**
 * `database-init`: run once before the services start (compose runs it as a one-shot container),
 * as the database superuser. The services then connect as `<prefix>_identity`,
 * `<prefix>_credentials` and `<prefix>_reaper`.
 */
class DatabaseInitConfig {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL of the database superuser, e.g. postgres://postgres@127.0.0.1:5432/keyward' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/keyward';

  /** Roles are global to a PostgreSQL cluster: one prefix per Keyward deployment sharing it. */
  @Matches(/^[a-z_][a-z0-9_]{0,40}$/, { message: 'must be lower-case letters, digits or _, at most 41 characters, not starting with a digit' })
  KEYWARD_DATABASE_ROLE_PREFIX: string = 'keyward';

  @password()
  KEYWARD_IDENTITY_DATABASE_PASSWORD?: string;

  @password()
  KEYWARD_CREDENTIALS_DATABASE_PASSWORD?: string;

  @password()
  KEYWARD_REAPER_DATABASE_PASSWORD?: string;
}

const SECRETS = ['DATABASE_URL', 'KEYWARD_IDENTITY_DATABASE_PASSWORD', 'KEYWARD_CREDENTIALS_DATABASE_PASSWORD', 'KEYWARD_REAPER_DATABASE_PASSWORD'];

/** Creates the database of DATABASE_URL when it is missing, from the server's `postgres` database. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!database) throw new ConfigurationError(['DATABASE_URL: must name a database, e.g. postgres://postgres@127.0.0.1:5432/keyward']);
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString() });
  await client.connect();
  try {
    if ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      process.stdout.write(`Created database ${database}.\n`);
    }
  } catch (error: unknown) {
    // Another replica created it at the same moment.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const config = loadConfig(DatabaseInitConfig, process.env, SECRETS);
  await ensureDatabase(config.DATABASE_URL);
  const client = new Client({ connectionString: config.DATABASE_URL, application_name: 'keyward-database-init' });
  await client.connect();
  try {
    const result = await provisionServiceDatabase(
      client,
      serviceRoles(config.KEYWARD_DATABASE_ROLE_PREFIX, {
        identity: config.KEYWARD_IDENTITY_DATABASE_PASSWORD,
        credentials: config.KEYWARD_CREDENTIALS_DATABASE_PASSWORD,
        reaper: config.KEYWARD_REAPER_DATABASE_PASSWORD,
      }),
    );
    for (const { role, schema, created, objectsReassigned } of result.roles) {
      const moved = objectsReassigned > 0 ? `, ${objectsReassigned} object(s) handed over to it` : '';
      process.stdout.write(`${created ? 'Created' : 'Updated'} role ${role}: owns schema ${schema} of ${result.database} and nothing else${moved}.\n`);
    }
  } finally {
    await client.end();
  }
}

main().catch(exitOnStartupFailure('database-init', [ProvisionError]));
