import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountState, AccountType } from '@keyward/domain';
import { DataSource, type EntityManager, Not } from 'typeorm';
import { AccountEntity } from './account.entity';

export interface NewAccount {
  name: string;
  email: string | null;
  type: AccountType;
}

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

  /** An account callers may see: never the hidden service account. */
  findVisibleByName(name: string, manager?: EntityManager): Promise<AccountEntity | null> {
    return this.repo(manager).findOneBy({ name, type: Not(AccountType.Service) });
  }

  /** Locks the row until the transaction ends, so concurrent state changes serialize. */
  findVisibleByNameForUpdate(name: string, manager: EntityManager): Promise<AccountEntity | null> {
    return this.repo(manager).findOne({
      where: { name, type: Not(AccountType.Service) },
      lock: { mode: 'pessimistic_write' },
    });
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
