import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AccountPurgeRequest, IdentitySubjects, type PurgeView } from '@keyward/contracts';
import { AccountState, AccountType, assertPrincipalEnabled, DomainError, ErrorCode, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { AccountWrites } from '../accounts/account-writes';
import { DeliveryService } from '../delivery/delivery.service';

/** `remaining` counts each kind up to this many: 10,000 means 10,000 or more (counting a million would cost more than deleting a batch). */
export const PURGE_COUNT_UP_TO = 10_000;

/** One purge call deletes batch after batch for about this long unless it asks otherwise, then answers: well within the bus timeout. */
export const PURGE_TIME_BUDGET_MS = 1_000;

/**
 * The reaper's contract: delete the Secrets delivered for an account into the cluster (when one is
 * configured), then its credentials `batchSize` at a time, then (once none are left) its secrets and projects, for up to `timeBudgetMs` (PURGE_TIME_BUDGET_MS) per call, and answer what
 * remains. Idempotent: a repeated or late call deletes what is still there and reports the same
 * counts.
 */
@Injectable()
export class PurgeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rpc: RpcClient,
    private readonly delivery: DeliveryService,
  ) {}

  /**
   * Only an account identity reports as `deleting` is purged (or one identity no longer knows,
   * whose leftovers anyone may clear): whoever can reach this subject still cannot empty a live
   * account.
   */
  private async assertDeleting(accountId: string): Promise<void> {
    const current = await this.rpc.send(IdentitySubjects.accountState, { principal: SYSTEM_PRINCIPAL, accountId }).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === ErrorCode.AccountNotFound) return null;
      throw error;
    });
    if (current && current.state !== AccountState.Deleting) {
      throw new DomainError(ErrorCode.InvalidStateChange, `Account ${current.name} is ${current.state}, not deleting: it cannot be purged`);
    }
  }

  async purge(request: AccountPurgeRequest): Promise<PurgeView> {
    assertPrincipalEnabled(request.principal);
    if (request.principal.accountType !== AccountType.Service && request.principal.accountType !== AccountType.Admin) {
      throw new DomainError(ErrorCode.Forbidden, 'Not authorized. Requires permissions: domain=system action=purgeAccount target=*');
    }
    const { accountId, batchSize } = request;
    await this.assertDeleting(accountId);
    // Once the mark is committed no insert into the account can begin, and every one under way
    // has ended: the batches below race nothing and need no transaction of their own.
    await this.dataSource.transaction((manager) => AccountWrites.markPurging(manager, accountId));
    // The Secrets delivered into the cluster first: found by their labels, whatever rows are left.
    const deliveredSecrets = await this.delivery.removeAccountSecrets(accountId);
    const started = Date.now();
    const budget = request.timeBudgetMs ?? PURGE_TIME_BUDGET_MS;
    const inTime = () => Date.now() - started < budget;
    /** Deletes batches from `table` while time is left; true once none is left. */
    const drain = async (table: 'deliveries' | 'credentials' | 'secrets' | 'projects'): Promise<boolean> => {
      for (;;) {
        // By row address: no index lookup per row, and no walk over the entries of rows deleted
        // by the batches before (IN (SELECT id ...) cost ten times as much at a million rows).
        const [, deleted] = (await this.dataSource.query(
          `DELETE FROM credentials.${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM credentials.${table} WHERE account_id = $1 LIMIT $2))`,
          [accountId, batchSize],
        )) as [unknown[], number];
        if (deleted < batchSize) return true;
        if (!inTime()) return false;
      }
    };
    // Delivery records, then credentials: they refer to the secrets and projects.
    if ((await drain('deliveries')) && (await drain('credentials'))) {
      if (await drain('secrets')) await drain('projects');
    }
    const [counts] = (await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM credentials.credentials WHERE account_id = $1 LIMIT $2) c) AS credentials,
              (SELECT count(*)::int FROM (SELECT 1 FROM credentials.projects WHERE account_id = $1 LIMIT $2) p) AS projects,
              (SELECT count(*)::int FROM (SELECT 1 FROM credentials.secrets WHERE account_id = $1 LIMIT $2) s) AS secrets`,
      [accountId, PURGE_COUNT_UP_TO],
    )) as [Omit<PurgeView['remaining'], 'deliveredSecrets'>];
    return { remaining: { ...counts, deliveredSecrets } };
  }
}
