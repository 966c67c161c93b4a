import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import { JobEntity } from './job.entity';

@Injectable()
export class JobRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes the account for `owner` until the lease ends, unless another live replica holds it.
   * One statement, so two replicas racing for the same account cannot both win.
   */
  async claim(accountId: string, accountName: string, owner: string, leaseSeconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO reaper.jobs (account_id, account_name, state, owner, lease_until)
       VALUES ($1, $2, 'running', $3, now() + make_interval(secs => $4))
       ON CONFLICT (account_id) DO UPDATE
          SET state = 'running', owner = $3, lease_until = now() + make_interval(secs => $4),
              attempts = reaper.jobs.attempts + 1, updated_at = now()
        WHERE reaper.jobs.owner IS NULL OR reaper.jobs.owner = $3 OR reaper.jobs.lease_until < now()
       RETURNING account_id`,
      [accountId, accountName, owner, leaseSeconds],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Records progress and renews the lease; false when the lease was lost to another replica. */
  async progress(accountId: string, owner: string, remaining: Record<string, number>, leaseSeconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE reaper.jobs SET remaining = $3, lease_until = now() + make_interval(secs => $4), updated_at = now(), last_error = NULL
        WHERE account_id = $1 AND owner = $2 RETURNING account_id`,
      [accountId, owner, JSON.stringify(remaining), leaseSeconds],
    )) as [unknown[], number];
    return rows[1] === 1 || (Array.isArray(rows[0]) && rows[0].length === 1);
  }

  /** Lets go of the account after a failure, keeping the reason for the progress view. */
  async release(accountId: string, owner: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reaper.jobs SET state = 'waiting', owner = NULL, lease_until = NULL, last_error = $3, updated_at = now()
        WHERE account_id = $1 AND owner = $2`,
      [accountId, owner, error],
    );
  }

  /** `remaining`: the purge's last answer (all zero). */
  async finish(accountId: string, owner: string, remaining: Record<string, number>): Promise<void> {
    await this.dataSource.query(
      `UPDATE reaper.jobs SET state = 'done', owner = NULL, lease_until = NULL, finished_at = now(), updated_at = now(), remaining = $3
        WHERE account_id = $1 AND owner = $2`,
      [accountId, owner, JSON.stringify(remaining)],
    );
  }

  /** Deletions not finished yet: waiting or under way. */
  async backlog(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS open FROM reaper.jobs WHERE state <> 'done'`)) as [{ open: number }];
    return row.open;
  }

  findOpenByName(accountName: string): Promise<JobEntity | null> {
    return this.dataSource.getRepository(JobEntity).findOne({ where: { accountName, state: Not('done') }, order: { createdAt: 'DESC' } });
  }
}
