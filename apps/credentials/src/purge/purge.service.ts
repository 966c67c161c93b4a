import { Injectable } from '@nestjs/common';
import { type AccountPurgeRequest, IdentitySubjects, type PurgeView } from '@keyward/contracts';
import { AccountState, AccountType, assertPrincipalEnabled, DomainError, ErrorCode, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { DeliveryService } from '../delivery/delivery.service';
import { PURGED_TABLES, PurgeRepository } from './purge.repository';

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
    private readonly rows: PurgeRepository,
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
    await this.rows.markPurging(accountId);
    // The Secrets delivered into the cluster first: found by their labels, whatever rows are left.
    const deliveredSecrets = await this.delivery.removeAccountSecrets(accountId);
    const started = Date.now();
    const budget = request.timeBudgetMs ?? PURGE_TIME_BUDGET_MS;
    // Table after table (delivery records, credentials, then the secrets and projects they refer
    // to), batch after batch while time is left; a table is begun only once those before it are empty.
    drain: for (const table of PURGED_TABLES) {
      for (;;) {
        if ((await this.rows.deleteBatch(table, accountId, batchSize)) < batchSize) break;
        if (Date.now() - started >= budget) break drain;
      }
    }
    const counts = await this.rows.remaining(accountId, PURGE_COUNT_UP_TO);
    return { remaining: { ...counts, deliveredSecrets } };
  }
}
