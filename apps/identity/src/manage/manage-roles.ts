import { type DataSource } from 'typeorm';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { systemAuditRecord } from '../audit/audit.service';

export const ROLE_COMMANDS = {
  add_superuser: { flag: 'superuser', value: true, noun: 'a superuser' },
  remove_superuser: { flag: 'superuser', value: false, noun: 'a superuser' },
  add_admin: { flag: 'staff', value: true, noun: 'an admin (staff)' },
  remove_admin: { flag: 'staff', value: false, noun: 'an admin (staff)' },
} as const;

export type RoleCommand = keyof typeof ROLE_COMMANDS;

export class ManageError extends Error {}

export function isRoleCommand(value: string | undefined): value is RoleCommand {
  return value !== undefined && value in ROLE_COMMANDS;
}

/** Parses `--username U` (or `--username=U`) from the arguments after the command. */
export function usernameArgument(args: readonly string[]): string {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--username') {
      const value = args[i + 1];
      if (value && !value.startsWith('--')) return value;
    } else if (arg.startsWith('--username=')) {
      const value = arg.slice('--username='.length);
      if (value) return value;
    }
  }
  throw new ManageError('Missing --username U: the user to change');
}

/**
 * Grants or takes away a role, refusing with a clear message when the user does not exist or
 * already has (or lacks) it. Returns what was done.
 */
export async function manageRole(dataSource: DataSource, command: RoleCommand, username: string): Promise<string> {
  const { flag, value, noun } = ROLE_COMMANDS[command];
  return dataSource.transaction(async (manager) => {
    const rows = (await manager.query(
      `SELECT u.${flag} AS current FROM identity.users u JOIN identity.accounts a ON a.id = u.account_id
        WHERE u.username = $1 AND a.type <> 'service' FOR UPDATE OF u`,
      [username],
    )) as Array<{ current: boolean }>;
    const row = rows[0];
    if (!row) {
      throw new ManageError(`User ${username} does not exist`);
    }
    if (row.current === value) {
      throw new ManageError(value ? `User ${username} is already ${noun}` : `User ${username} is not ${noun}`);
    }
    await manager.query(`UPDATE identity.users SET ${flag} = $2, last_updated = now() WHERE username = $1`, [username, value]);
    await new AuditLogRepository(dataSource).append(manager, [
      systemAuditRecord('manage', 'user.update-roles', { type: 'user', id: username }, { username, [flag]: row.current }, { username, [flag]: value }),
    ]);
    return value ? `User ${username} is now ${noun}` : `User ${username} is no longer ${noun}`;
  });
}
