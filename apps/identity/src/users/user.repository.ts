import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Page, type UserView } from '@keyward/contracts';
import { type AccountState, AccountType, CredentialType, UserType } from '@keyward/domain';
import { PreparedStatement, toRfc3339 } from '@keyward/nest-common';
import { DataSource, type EntityManager } from 'typeorm';
import { accountFromRow } from '../accounts/account.repository';
import { PasswordCredentialEntity } from './password-credential.entity';
import { UserEntity } from './user.entity';

export interface UserLogin {
  user: UserEntity & { account: NonNullable<UserEntity['account']> };
  passwordHash: string | null;
}

/** A row of identity.users as `pg` returns it. */
interface UserRow {
  id: string;
  username: string;
  account_id: string;
  type: UserType;
  source: string | null;
  superuser: boolean;
  staff: boolean;
  created_at: Date;
  last_updated: Date;
}

function userFromRow(row: UserRow): UserEntity {
  const user = new UserEntity();
  user.id = row.id;
  user.username = row.username;
  user.accountId = row.account_id;
  user.type = row.type;
  user.source = row.source;
  user.superuser = row.superuser;
  user.staff = row.staff;
  user.createdAt = row.created_at;
  user.lastUpdated = row.last_updated;
  return user;
}

interface UserPageRow {
  total: string;
  username: string | null;
  type: UserType;
  source: string | null;
  /** Seconds since the epoch (float8, whole). */
  created: number;
  updated: number;
}

interface LoginRow extends UserRow {
  account_name: string;
  account_email: string | null;
  account_type: AccountType;
  account_state: AccountState;
  account_created_at: Date;
  account_last_updated: Date;
  password_hash: string | null;
}

const FIND_LOGIN = `
  SELECT u.id, u.username, u.account_id, u.type, u.source, u.superuser, u.staff, u.created_at, u.last_updated,
         a.name AS account_name, a.email AS account_email, a.type AS account_type, a.state AS account_state,
         a.created_at AS account_created_at, a.last_updated AS account_last_updated,
         p.hash AS password_hash
    FROM identity.users u
    JOIN identity.accounts a ON a.id = u.account_id
    LEFT JOIN identity.password_credentials p ON p.user_id = u.id
   WHERE u.username = $1`;

/**
 * One page of an account's users by the account's name, as the users list shows them, in one
 * statement: no row for an unknown (or the hidden service) account, else one row per user of the
 * page, or one with a null username for a page past the end; every row carries the account's
 * number of users. The account is MATERIALIZED so that its count runs once, not once per user.
 * The timestamps come as whole seconds since the epoch (the view shows seconds), which spares
 * parsing two timestamps per user only to format them again (ADR 12).
 */
const PAGE_BY_ACCOUNT_NAME = new PreparedStatement<UserPageRow>(
  'identity.users.page-by-account-name',
  `WITH account AS MATERIALIZED (
     SELECT a.id, (SELECT count(*) FROM identity.users c WHERE c.account_id = a.id) AS total
       FROM identity.accounts a
      WHERE a.name = $1 AND a.type <> '${AccountType.Service}'
   )
   SELECT account.total, u.username, u.type, u.source, u.created, u.updated
     FROM account
     LEFT JOIN LATERAL (
       SELECT users.username, users.type, users.source,
              floor(date_part('epoch', users.created_at)) AS created,
              floor(date_part('epoch', users.last_updated)) AS updated
         FROM identity.users
        WHERE users.account_id = account.id
        ORDER BY users.created_at, users.username
        LIMIT $2 OFFSET $3
     ) u ON true`,
);

@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private users(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(UserEntity);
  }

  private passwords(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(PasswordCredentialEntity);
  }

  findInAccount(accountId: string, username: string): Promise<UserEntity | null> {
    return this.users().findOneBy({ accountId, username });
  }

  /** Usernames are unique across accounts. */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users().findOneBy({ username });
  }

  existsByUsername(username: string, manager?: EntityManager): Promise<boolean> {
    return this.users(manager).existsBy({ username });
  }

  /** Everything needed to authenticate a username, in one query. */
  async findLogin(username: string): Promise<UserLogin | null> {
    const rows: LoginRow[] = await this.dataSource.query(FIND_LOGIN, [username]);
    const row = rows[0];
    if (!row) {
      return null;
    }
    const account = accountFromRow({
      id: row.account_id,
      name: row.account_name,
      email: row.account_email,
      type: row.account_type,
      state: row.account_state,
      created_at: row.account_created_at,
      last_updated: row.account_last_updated,
    });
    return { user: Object.assign(userFromRow(row), { account }), passwordHash: row.password_hash };
  }

  /**
   * A page of the named account's users, oldest first, and how many it has in all; null when no
   * visible account has that name.
   */
  async pageByAccountName(accountName: string, limit: number, offset: number): Promise<Page<UserView> | null> {
    const rows = await PAGE_BY_ACCOUNT_NAME.run(this.dataSource, [accountName, limit, offset]);
    if (!rows[0]) {
      return null;
    }
    const items: UserView[] = [];
    for (const row of rows) {
      if (row.username !== null) {
        items.push({
          username: row.username,
          type: row.type,
          source: row.source,
          created_at: toRfc3339(new Date(row.created * 1000)),
          last_updated: toRfc3339(new Date(row.updated * 1000)),
        });
      }
    }
    return { items, total: Number(rows[0].total) };
  }

  async insertWithPassword(accountId: string, username: string, hash: string, manager: EntityManager): Promise<UserEntity> {
    const users = this.users(manager);
    const user = await users.save(users.create({ accountId, username, type: UserType.Native, source: null }));
    await this.passwords(manager).insert({ userId: user.id, type: CredentialType.Password, hash });
    return user;
  }

  async delete(userId: string): Promise<void> {
    await this.users().delete({ id: userId });
  }

  /** Removes every user of an account; their passwords go with them (ON DELETE CASCADE). */
  async deleteAllOfAccount(accountId: string, manager: EntityManager): Promise<string[]> {
    const rows = await this.users(manager).find({ where: { accountId }, select: { username: true } });
    await this.users(manager).delete({ accountId });
    return rows.map((row) => row.username);
  }

  findPassword(userId: string): Promise<PasswordCredentialEntity | null> {
    return this.passwords().findOneBy({ userId });
  }

  /** Replaces the user's password; `created_at` is the time of the change. */
  async setPassword(userId: string, hash: string): Promise<PasswordCredentialEntity> {
    return this.dataSource.transaction(async (manager) => {
      await this.passwords(manager).delete({ userId });
      const passwords = this.passwords(manager);
      return passwords.save(passwords.create({ userId, type: CredentialType.Password, hash }));
    });
  }

  async deletePassword(userId: string): Promise<boolean> {
    const result = await this.passwords().delete({ userId });
    return (result.affected ?? 0) > 0;
  }
}
