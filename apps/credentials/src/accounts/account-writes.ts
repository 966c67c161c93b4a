import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AccountScopeView, IdentityEvents, IdentitySubjects } from '@keyward/contracts';
import { accountNotWritable, AccountState, type Principal, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { EventBus, PreparedStatement, RpcClient } from '@keyward/nest-common';
import { LRUCache } from 'lru-cache';
import { type Subscription } from 'nats';
import { DataSource, type EntityManager } from 'typeorm';
import { CredentialsConfig } from '../config';

/** The advisory lock that orders an account's inserts against the start of its purge. */
const LOCK_KEY = 'hashtextextended($1::text, 0)';

/**
 * The lock in shared mode, then the purge mark, seen after the lock is held
 * (credentials.hold_against_purge, VOLATILE: its look has a snapshot of its own). Also in the WHERE
 * of single-statement inserts (CredentialRepository.insert).
 */
const HOLD = new PreparedStatement<{ free: boolean }>('credentials.hold-against-purge', 'SELECT credentials.hold_against_purge($1) AS free');

/**
 * Nothing is written into an account that is not enabled, whoever asks: identity, which owns the
 * account's state, is asked. Its "enabled" is remembered for up to
 * KEYWARD_ACCOUNT_STATE_CACHE_SECONDS and forgotten, for every account, the moment identity
 * reports a change to any principal or account (it does so after the change commits and before it
 * answers), when the NATS connection changes, and an answer on its way during such a report is not
 * kept; any other state is asked again each time. A request already in flight when the account enters
 * `deleting` is caught too: each insert holds a shared lock on its account and finds no purge mark,
 * and a purge first takes that lock exclusively and leaves the mark, so every row is either written
 * before the purge begins (and purged) or refused.
 */
@Injectable()
export class AccountWrites implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Ids of accounts identity last said were enabled; absent when the cache is off. */
  private readonly enabled?: LRUCache<string, true>;
  /** Moves on whenever everything is forgotten: an answer asked for before it is not kept. */
  private generation = 0;
  private subscription?: Subscription;

  constructor(
    private readonly rpc: RpcClient,
    private readonly bus: EventBus,
    @InjectDataSource() private readonly dataSource: DataSource,
    config: CredentialsConfig,
  ) {
    const seconds = config.KEYWARD_ACCOUNT_STATE_CACHE_SECONDS;
    if (seconds > 0) this.enabled = new LRUCache({ max: 10_000, ttl: seconds * 1000 });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.subscription = this.bus.subscribe(IdentityEvents.principalChanged, () => this.forgetAll());
    // While disconnected, events are missed.
    this.rpc.onReconnect(() => this.forgetAll());
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  async assertEnabled(principal: Principal, account: AccountScopeView): Promise<void> {
    if (this.enabled?.has(account.id)) return;
    const generation = this.generation;
    const current = await this.rpc.send(IdentitySubjects.accountState, { principal: SYSTEM_PRINCIPAL, accountId: account.id });
    if (current.state !== AccountState.Enabled) {
      throw accountNotWritable(principal, current);
    }
    if (generation === this.generation) this.enabled?.set(account.id, true);
  }

  private forgetAll(): void {
    this.generation += 1;
    this.enabled?.clear();
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

  /**
   * Runs `insert`, a single statement that holds the account against a purge itself (it inserts
   * only `WHERE credentials.hold_against_purge(account)`, and answers undefined when it did not):
   * no transaction around it, one round trip to the database.
   */
  async insertingAlone<T>(principal: Principal, account: AccountScopeView, insert: () => Promise<T | undefined>): Promise<T> {
    await this.assertEnabled(principal, account);
    const inserted = await insert();
    if (inserted === undefined) {
      throw accountNotWritable(principal, { name: account.name, state: AccountState.Deleting });
    }
    return inserted;
  }

  /** Inside a transaction: false once a purge of the account has begun; else no purge begins until it ends. */
  static async holdAgainstPurge(manager: EntityManager, accountId: string): Promise<boolean> {
    const [row] = await HOLD.run(manager.connection, [accountId], manager);
    return row?.free === true;
  }

  /** Marks the account as being purged, after every insert under way into it has ended. */
  static async markPurging(manager: EntityManager, accountId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`, [accountId]);
    await manager.query('INSERT INTO credentials.purged_accounts (account_id) VALUES ($1) ON CONFLICT DO NOTHING', [accountId]);
  }
}
