import 'reflect-metadata';
import { IdentityEvents, type PrincipalChangedEvent, wireSubject } from '@keyward/contracts';
import { exitOnStartupFailure, KeyRing, KeyRingError, natsServers, resealUnderActiveKey, runMicroservice, runMigrationsLocked } from '@keyward/nest-common';
import { connect, JSONCodec } from 'nats';
import { DataSource } from 'typeorm';
import { type IdentityConfig, loadIdentityConfig } from './config';
import { IDENTITY_SCHEMA, identityDataSourceOptions } from './database/identity-data-source';
import { IdentityModule } from './identity.module';
import { AuditLogRepository } from './audit/audit-log.repository';
import { systemAuditRecord } from './audit/audit.service';
import { verifyAuditLog } from './manage/audit-verify';
import { isRoleCommand, ManageError, manageRole, type RoleCommand, usernameArgument } from './manage/manage-roles';
import { tokenContext } from './tokens/tokens.service';

/** Tells running gateways to drop the user's cached principal; without NATS, caches expire on their own. */
async function announce(config: IdentityConfig, username: string): Promise<void> {
  try {
    const connection = await connect({
      servers: natsServers(config),
      user: config.NATS_USER,
      pass: config.NATS_PASSWORD,
      timeout: 2000,
      maxReconnectAttempts: 0,
    });
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

/** `main.js rotate-keys`: re-seal every API token secret under the active key, report, and exit. */
async function rotate(config: IdentityConfig, keyRing: KeyRing): Promise<void> {
  const dataSource = await new DataSource(identityDataSourceOptions(config.DATABASE_URL, 2)).initialize();
  try {
    await runMigrationsLocked(dataSource, IDENTITY_SCHEMA);
    const resealed = await resealUnderActiveKey(dataSource, keyRing, [
      { schema: IDENTITY_SCHEMA, table: 'api_tokens', column: 'secret_sealed', context: tokenContext },
    ]);
    await dataSource.transaction((manager) =>
      new AuditLogRepository(dataSource).append(manager, [
        systemAuditRecord('rotate-keys', 'keys.rotate', { type: 'keys', id: 'KEYWARD_TOKEN_KEYS' }, undefined, {
          keyId: keyRing.activeKeyId,
          resealed: resealed['api_tokens'] ?? 0,
        }),
      ]),
    );
    process.stdout.write(`Re-sealed ${resealed['api_tokens'] ?? 0} API token secret(s) under key ${keyRing.activeKeyId}.\n`);
  } finally {
    await dataSource.destroy();
  }
}

/** `main.js audit verify`: recomputes the audit log's hash chain; exits 1 when a record was deleted or changed. */
async function audit(config: IdentityConfig, args: string[]): Promise<void> {
  if (args[0] !== 'verify') {
    throw new ManageError('Unknown audit command: use audit verify');
  }
  const dataSource = await new DataSource(identityDataSourceOptions(config.DATABASE_URL, 2)).initialize();
  try {
    await runMigrationsLocked(dataSource, IDENTITY_SCHEMA);
    const result = await verifyAuditLog(dataSource);
    if (!result.intact) throw new ManageError(result.message);
    process.stdout.write(`${result.message}\n`);
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  const keyRing = KeyRing.parse(config.KEYWARD_TOKEN_KEYS, 'KEYWARD_TOKEN_KEYS');
  const [command, ...args] = process.argv.slice(2);
  if (command === 'rotate-keys') {
    return rotate(config, keyRing);
  }
  if (command === 'audit') {
    return audit(config, args);
  }
  if (command !== undefined) {
    if (!isRoleCommand(command)) {
      throw new ManageError(
        `Unknown command ${command}: use add_superuser, remove_superuser, add_admin or remove_admin with --username U, rotate-keys, or audit verify`,
      );
    }
    return manage(config, command, args);
  }
  await runMicroservice(
    'identity',
    IdentityModule.forRoot(config, keyRing),
    config,
    `identity is listening on NATS; sealing token secrets with key ${keyRing.activeKeyId}`,
  );
}

main().catch(exitOnStartupFailure('identity', [ManageError, KeyRingError]));
