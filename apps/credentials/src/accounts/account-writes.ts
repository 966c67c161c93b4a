import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AccountScopeView, IdentitySubjects } from '@keyward/contracts';
import { accountNotWritable, AccountState, type Principal, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { PreparedStatement, RpcClient } from '@keyward/nest-common';
import { DataSource, type EntityManager } from 'typeorm';

/** The advisory lock that orders an account's inserts against the start of its purge. */
const LOCK_KEY = 'hashtextextended($1::text, 0)';

/** On every insert's path: prepared statements. */
const HOLD_SHARED = new PreparedStatement<object>('credentials.purge-lock.shared', `SELECT pg_advisory_xact_lock_shared(${LOCK_KEY})`);
const PURGE_MARK = new PreparedStatement<object>('credentials.purge-mark', 'SELECT 1 FROM credentials.purged_accounts WHERE account_id = $1');

/**
 * Nothing is written into an account that is not enabled, whoever asks: identity, which owns the
 * account's state, is asked on every change. A request already in flight when the account enters
 * `deleting` is caught too: each insert holds a shared lock on its account and finds no purge mark,
 * and a purge first takes that lock exclusively and leaves the mark, so every row is either written
 * before the purge begins (and purged) or refused.
 */
@Injectable()
export class AccountWrites {
  constructor(
    private readonly rpc: RpcClient,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async assertEnabled(principal: Principal, account: AccountScopeView): Promise<void> {
    const current = await this.rpc.send(IdentitySubjects.accountState, { principal: SYSTEM_PRINCIPAL, accountId: account.id });
    if (current.state !== AccountState.Enabled) {
      throw accountNotWritable(principal, current);
    }
  }

  /** Runs `insert` in a transaction that no purge of the account can overtake. */
  async inserting<T>(principal: Principal, account: AccountScopeView, insert: (manager: EntityManager) => Promise<T>): Promise<T> {
    await this.assertEnabled(principal, account);
    return this.dataSource.transaction(async (manager) => {
      if (!(await AccountWrites.holdAgainstPurge(manager, account.id))) {
        throw accountNotWritable(principal, { name: account.name, state: AccountState.Deleting });
      }
      return insert(manager);
    });
  }

  /** Inside a transaction: false once a purge of the account has begun; else no purge begins until it ends. */
  static async holdAgainstPurge(manager: EntityManager, accountId: string): Promise<boolean> {
    // Two statements: the second's snapshot is taken after the lock is held, so it sees a mark committed meanwhile.
    await HOLD_SHARED.run(manager.connection, [accountId], manager);
    return (await PURGE_MARK.run(manager.connection, [accountId], manager)).length === 0;
  }

  /** Marks the account as being purged, after every insert under way into it has ended. */
  static async markPurging(manager: EntityManager, accountId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`, [accountId]);
    await manager.query('INSERT INTO credentials.purged_accounts (account_id) VALUES ($1) ON CONFLICT DO NOTHING', [accountId]);
  }
}
