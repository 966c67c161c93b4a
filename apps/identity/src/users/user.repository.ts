import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AccountState, type AccountType, CredentialType, UserType } from '@keyward/domain';
import { PreparedStatement } from '@keyward/nest-common';
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

/** One page of an account's users; every row also carries the number of users in the account. */
const LIST_BY_ACCOUNT = new PreparedStatement<UserRow & { total: string }>(
  'identity.users.by-account',
  `SELECT id, username, account_id, type, source, superuser, staff, created_at, last_updated, count(*) OVER () AS total
     FROM identity.users
    WHERE account_id = $1
    ORDER BY created_at, username
    LIMIT $2 OFFSET $3`,
);

const COUNT_BY_ACCOUNT = 'SELECT count(*) AS total FROM identity.users WHERE account_id = $1';

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

  /** A page of the account's users, oldest first, and how many it has in all. */
  async listByAccount(accountId: string, limit: number, offset: number): Promise<[UserEntity[], number]> {
    const rows = await LIST_BY_ACCOUNT.run(this.dataSource, [accountId, limit, offset]);
    if (rows[0]) {
      return [rows.map(userFromRow), Number(rows[0].total)];
    }
    // A page past the end has no row to carry the count.
    const counted: { total: string }[] = offset > 0 ? await this.dataSource.query(COUNT_BY_ACCOUNT, [accountId]) : [];
    return [[], Number(counted[0]?.total ?? 0)];
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
