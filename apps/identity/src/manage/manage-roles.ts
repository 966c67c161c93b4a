import { type DataSource } from 'typeorm';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { systemAuditRecord } from '../audit/audit.service';
import { RolesRepository } from '../roles/roles.repository';

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
  const roles = new RolesRepository(dataSource);
  return dataSource.transaction(async (manager) => {
    const current = await roles.lockRoleFlag(manager, username, flag);
    if (current === null) {
      throw new ManageError(`User ${username} does not exist`);
    }
    if (current === value) {
      throw new ManageError(value ? `User ${username} is already ${noun}` : `User ${username} is not ${noun}`);
    }
    await roles.setRoleFlag(manager, username, flag, value);
    await new AuditLogRepository(dataSource).append(manager, [
      systemAuditRecord('manage', 'user.update-roles', { type: 'user', id: username }, { username, [flag]: current }, { username, [flag]: value }),
    ]);
    return value ? `User ${username} is now ${noun}` : `User ${username} is no longer ${noun}`;
  });
}
