import 'reflect-metadata';
import { IdentityEvents, type PrincipalChangedEvent, wireSubject } from '@keyward/contracts';
import { exitOnStartupFailure, runMicroservice, runMigrationsLocked } from '@keyward/nest-common';
import { connect, JSONCodec } from 'nats';
import { DataSource } from 'typeorm';
import { type IdentityConfig, loadIdentityConfig } from './config';
import { IDENTITY_SCHEMA, identityDataSourceOptions } from './database/identity-data-source';
import { IdentityModule } from './identity.module';
import { isRoleCommand, ManageError, manageRole, type RoleCommand, usernameArgument } from './manage/manage-roles';

/** Tells running gateways to drop the user's cached principal; without NATS, caches expire on their own. */
async function announce(config: IdentityConfig, username: string): Promise<void> {
  try {
    const connection = await connect({ servers: config.NATS_URL, user: config.NATS_USER, pass: config.NATS_PASSWORD, timeout: 2000, maxReconnectAttempts: 0 });
    connection.publish(wireSubject(IdentityEvents.principalChanged), JSONCodec<PrincipalChangedEvent>().encode({ usernames: [username] }));
    await connection.flush();
    await connection.close();
  } catch {
    process.stdout.write(`NATS is not reachable: gateways pick the change up within KEYWARD_AUTH_CACHE_TTL_SECONDS.\n`);
  }
}

/** `main.js add_superuser|remove_superuser|add_admin|remove_admin --username U`. */
async function manage(config: IdentityConfig, command: RoleCommand, args: string[]): Promise<void> {
  const username = usernameArgument(args);
  const dataSource = await new DataSource(identityDataSourceOptions(config.DATABASE_URL, 2)).initialize();
  try {
    await runMigrationsLocked(dataSource, IDENTITY_SCHEMA);
    process.stdout.write(`${await manageRole(dataSource, command, username)}\n`);
  } finally {
    await dataSource.destroy();
  }
  await announce(config, username);
}

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  const [command, ...args] = process.argv.slice(2);
  if (command !== undefined) {
    if (!isRoleCommand(command)) {
      throw new ManageError(`Unknown command ${command}: use add_superuser, remove_superuser, add_admin or remove_admin with --username U`);
    }
    return manage(config, command, args);
  }
  await runMicroservice('identity', IdentityModule.forRoot(config), config, 'identity is listening on NATS');
}

main().catch(exitOnStartupFailure('identity', [ManageError]));
