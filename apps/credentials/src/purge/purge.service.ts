import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AccountPurgeRequest, IdentitySubjects, type PurgeView } from '@keyward/contracts';
import { AccountState, AccountType, assertPrincipalEnabled, DomainError, ErrorCode, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { AccountWrites } from '../accounts/account-writes';

/**
 * The reaper's contract: delete up to `batchSize` of an account's credentials, then (once none are
 * left) its secrets and projects, and answer what remains. Idempotent: a repeated or late call
 * deletes what is still there and reports the same counts.
 */
@Injectable()
export class PurgeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rpc: RpcClient,
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
    await this.dataSource.transaction(async (manager) => {
      // From here on no insert into the account can begin, and every one under way has ended.
      await AccountWrites.markPurging(manager, accountId);
      const batch = (table: string) =>
        manager.query(`DELETE FROM credentials.${table} WHERE id IN (SELECT id FROM credentials.${table} WHERE account_id = $1 LIMIT $2)`, [accountId, batchSize]);
      await batch('credentials');
      const [{ left }] = (await manager.query('SELECT count(*)::int AS left FROM credentials.credentials WHERE account_id = $1', [accountId])) as [{ left: number }];
      if (left === 0) {
        await batch('secrets');
        await batch('projects');
      }
    });
    const [counts] = (await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM credentials.credentials WHERE account_id = $1) AS credentials,
              (SELECT count(*)::int FROM credentials.projects WHERE account_id = $1) AS projects,
              (SELECT count(*)::int FROM credentials.secrets WHERE account_id = $1) AS secrets`,
      [accountId],
    )) as [PurgeView['remaining']];
    return { remaining: counts };
  }
}
