import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountState, AccountType } from '@keyward/domain';
import { PreparedStatement } from '@keyward/nest-common';
import { DataSource, type EntityManager, Not } from 'typeorm';
import { AccountEntity } from './account.entity';

export interface NewAccount {
  name: string;
  email: string | null;
  type: AccountType;
}

/** A row of identity.accounts as `pg` returns it. */
export interface AccountRow {
  id: string;
  name: string;
  email: string | null;
  type: AccountType;
  state: AccountState;
  created_at: Date;
  last_updated: Date;
}

const ACCOUNT_COLUMNS = 'id, name, email, type, state, created_at, last_updated';

export function accountFromRow(row: AccountRow): AccountEntity {
  const account = new AccountEntity();
  account.id = row.id;
  account.name = row.name;
  account.email = row.email;
  account.type = row.type;
  account.state = row.state;
  account.createdAt = row.created_at;
  account.lastUpdated = row.last_updated;
  return account;
}

const FIND_VISIBLE_BY_NAME = new PreparedStatement<AccountRow>(
  'identity.account.visible-by-name',
  `SELECT ${ACCOUNT_COLUMNS} FROM identity.accounts WHERE name = $1 AND type <> '${AccountType.Service}'`,
);

const FIND_BY_ID = new PreparedStatement<AccountRow>('identity.account.by-id', `SELECT ${ACCOUNT_COLUMNS} FROM identity.accounts WHERE id = $1`);

@Injectable()
export class AccountRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(AccountEntity);
  }

  /** Any account, the hidden service account included: for bootstrap and internal use. */
  findByName(name: string, manager?: EntityManager): Promise<AccountEntity | null> {
    return this.repo(manager).findOneBy({ name });
  }

  /** An account callers may see: never the hidden service account. On every request's path: a prepared statement. */
  async findVisibleByName(name: string, manager?: EntityManager): Promise<AccountEntity | null> {
    const rows = await FIND_VISIBLE_BY_NAME.run(this.dataSource, [name], manager);
    return rows[0] ? accountFromRow(rows[0]) : null;
  }

  /** Locks the row until the transaction ends, so concurrent state changes serialize. */
  findVisibleByNameForUpdate(name: string, manager: EntityManager): Promise<AccountEntity | null> {
    return this.repo(manager).findOne({
      where: { name, type: Not(AccountType.Service) },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** On the path of every credential write (credentials asks whether the account is enabled): a prepared statement. */
  async findById(id: string): Promise<AccountEntity | null> {
    const rows = await FIND_BY_ID.run(this.dataSource, [id]);
    return rows[0] ? accountFromRow(rows[0]) : null;
  }

  findByIdForUpdate(id: string, manager: EntityManager): Promise<AccountEntity | null> {
    return this.repo(manager).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async remove(id: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ id });
  }

  listVisible(state: AccountState | undefined, limit: number, offset: number): Promise<[AccountEntity[], number]> {
    return this.repo().findAndCount({
      where: { type: Not(AccountType.Service), ...(state ? { state } : {}) },
      order: { createdAt: 'ASC', name: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  insert(account: NewAccount, manager?: EntityManager): Promise<AccountEntity> {
    const repo = this.repo(manager);
    return repo.save(repo.create({ ...account, state: AccountState.Enabled }));
  }

  async setState(account: AccountEntity, state: AccountState, manager: EntityManager): Promise<AccountEntity> {
    account.state = state;
    return this.repo(manager).save(account);
  }
}
