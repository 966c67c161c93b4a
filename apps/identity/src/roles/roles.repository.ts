import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type UserType } from '@keyward/domain';
import { DataSource, type EntityManager } from 'typeorm';

export interface AdminUserRow {
  username: string;
  account: string;
  type: UserType;
  staff: boolean;
  superuser: boolean;
  created_at: Date;
  last_updated: Date;
  total?: string;
}

export interface AdminUserFilter {
  account?: string;
  staff?: boolean;
  superuser?: boolean;
  usernamePrefix?: string;
}

const COLUMNS = `u.username, a.name AS account, u.type, u.staff, u.superuser, u.created_at, u.last_updated`;

@Injectable()
export class RolesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One role flag of a user of a visible account, its row locked until `manager`'s transaction ends; null when there is no such user. */
  async lockRoleFlag(manager: EntityManager, username: string, flag: 'staff' | 'superuser'): Promise<boolean | null> {
    const rows = (await manager.query(
      `SELECT u.${flag} AS current FROM identity.users u JOIN identity.accounts a ON a.id = u.account_id
        WHERE u.username = $1 AND a.type <> 'service' FOR UPDATE OF u`,
      [username],
    )) as Array<{ current: boolean }>;
    return rows[0]?.current ?? null;
  }

  /** Sets one role flag of a user, within `manager`'s transaction. */
  async setRoleFlag(manager: EntityManager, username: string, flag: 'staff' | 'superuser', value: boolean): Promise<void> {
    await manager.query(`UPDATE identity.users SET ${flag} = $2, last_updated = now() WHERE username = $1`, [username, value]);
  }

  /** Users of every visible account, filtered, one page, with the total. */
  async list(filter: AdminUserFilter, limit: number, offset: number): Promise<AdminUserRow[]> {
    const where = [`a.type <> 'service'`];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.account !== undefined) add('a.name = ?', filter.account);
    if (filter.staff !== undefined) add('u.staff = ?', filter.staff);
    if (filter.superuser !== undefined) add('u.superuser = ?', filter.superuser);
    if (filter.usernamePrefix) add(`u.username LIKE ? ESCAPE '\\'`, `${filter.usernamePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    params.push(limit, offset);
    return (await this.dataSource.query(
      `SELECT ${COLUMNS}, count(*) OVER () AS total
         FROM identity.users u JOIN identity.accounts a ON a.id = u.account_id
        WHERE ${where.join(' AND ')}
        ORDER BY u.username LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as AdminUserRow[];
  }

  /** Sets the flags given (others unchanged) on a user of a visible account; null when there is none. */
  async setRoles(username: string, roles: { staff?: boolean; superuser?: boolean }): Promise<AdminUserRow | null> {
    const rows = (await this.dataSource.query(
      `UPDATE identity.users u SET staff = coalesce($2, u.staff), superuser = coalesce($3, u.superuser), last_updated = now()
         FROM identity.accounts a
        WHERE a.id = u.account_id AND a.type <> 'service' AND u.username = $1
        RETURNING ${COLUMNS}`,
      [username, roles.staff ?? null, roles.superuser ?? null],
    )) as [AdminUserRow[], number];
    return rows[0][0] ?? null;
  }

  async find(username: string): Promise<AdminUserRow | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM identity.users u JOIN identity.accounts a ON a.id = u.account_id WHERE a.type <> 'service' AND u.username = $1`,
      [username],
    )) as AdminUserRow[];
    return rows[0] ?? null;
  }
}
