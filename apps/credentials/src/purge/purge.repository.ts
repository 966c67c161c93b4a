import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PurgeView } from '@keyward/contracts';
import { DataSource } from 'typeorm';
import { AccountWrites } from '../accounts/account-writes';

/** The tables of an account's rows, in the order a purge empties them: each refers only to those after it. */
export const PURGED_TABLES = ['deliveries', 'credentials', 'secrets', 'projects'] as const;
export type PurgedTable = (typeof PURGED_TABLES)[number];

/** The purge's SQL: the mark that stops new writes into an account, batch deletes and what is left. */
@Injectable()
export class PurgeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Once this commits no insert into the account can begin, and every one under way has ended. */
  markPurging(accountId: string): Promise<void> {
    return this.dataSource.transaction((manager) => AccountWrites.markPurging(manager, accountId));
  }

  /**
   * Deletes up to `batchSize` of the account's rows of `table` and answers how many went. By row
   * address: no index lookup per row, and no walk over the entries of rows deleted by the batches
   * before (`IN (SELECT id ...)` cost ten times as much at a million rows).
   */
  async deleteBatch(table: PurgedTable, accountId: string, batchSize: number): Promise<number> {
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM credentials.${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM credentials.${table} WHERE account_id = $1 LIMIT $2))`,
      [accountId, batchSize],
    )) as [unknown[], number];
    return deleted;
  }

  /** The account's rows left of each kind, each counted up to `upTo`. */
  async remaining(accountId: string, upTo: number): Promise<Omit<PurgeView['remaining'], 'deliveredSecrets'>> {
    const [counts] = (await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM credentials.credentials WHERE account_id = $1 LIMIT $2) c) AS credentials,
              (SELECT count(*)::int FROM (SELECT 1 FROM credentials.projects WHERE account_id = $1 LIMIT $2) p) AS projects,
              (SELECT count(*)::int FROM (SELECT 1 FROM credentials.secrets WHERE account_id = $1 LIMIT $2) s) AS secrets`,
      [accountId, upTo],
    )) as [Omit<PurgeView['remaining'], 'deliveredSecrets'>];
    return counts;
  }
}
