import { Inject, Injectable, Logger } from '@nestjs/common';
import { CredentialsSubjects, IdentitySubjects } from '@keyward/contracts';
import { SYSTEM_PRINCIPAL } from '@keyward/domain';
import { Metrics, RpcClient } from '@keyward/nest-common';
import { hostname } from 'node:os';
import { type Histogram } from 'prom-client';
import { ReaperConfig } from '../config';
import { JobRepository } from '../jobs/job.repository';

export type ReapOutcome = 'done' | 'busy';

/**
 * Purges everything an account owns, batch by batch, then removes the account record. Each step
 * is idempotent, so a crash anywhere only means the next delivery or sweep carries on. Nothing
 * counts as "nothing left" unless the owning service said so: a failed or timed-out purge stops
 * the run with an error, and the account stays in `deleting`.
 */
@Injectable()
export class ReaperService {
  private readonly logger = new Logger(ReaperService.name);
  readonly owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  /** Reaps under way in this process: the consumer and the sweep share them instead of racing. */
  private readonly inFlight = new Map<string, Promise<ReapOutcome>>();

  private readonly duration: Histogram;

  constructor(
    @Inject(ReaperConfig) private readonly config: ReaperConfig,
    private readonly rpc: RpcClient,
    private readonly jobs: JobRepository,
    metrics: Metrics,
  ) {
    this.duration = metrics.histogram(
      'keyward_reap_duration_seconds',
      'Time one replica took to reap an account, from its claim to the account removed',
      [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    );
    metrics.gauge('keyward_reaper_backlog', 'Account deletions not finished: waiting or under way', () => this.jobs.backlog());
  }

  reap(accountId: string, accountName: string): Promise<ReapOutcome> {
    const running = this.inFlight.get(accountId);
    if (running) {
      return running;
    }
    const reaping = this.reapOnce(accountId, accountName).finally(() => this.inFlight.delete(accountId));
    this.inFlight.set(accountId, reaping);
    return reaping;
  }

  private async reapOnce(accountId: string, accountName: string): Promise<ReapOutcome> {
    if (!(await this.jobs.claim(accountId, accountName, this.owner, this.config.KEYWARD_REAPER_LEASE_SECONDS))) {
      return 'busy';
    }
    const started = Date.now();
    try {
      let remaining: Record<string, number> = {};
      let stalled = 0;
      for (;;) {
        const before = JSON.stringify(remaining);
        ({ remaining } = await this.rpc.send(CredentialsSubjects.accountPurge, {
          principal: SYSTEM_PRINCIPAL,
          accountId,
          batchSize: this.config.KEYWARD_REAPER_BATCH_SIZE,
          timeBudgetMs: this.config.KEYWARD_REAPER_PURGE_MS,
        }));
        if (!(await this.jobs.progress(accountId, this.owner, remaining, this.config.KEYWARD_REAPER_LEASE_SECONDS))) {
          throw new Error('lost the claim on the account to another replica');
        }
        if (Object.values(remaining).every((count) => count === 0)) {
          break;
        }
        // Only Secrets in the cluster are left and none went (a cluster that cannot be reached or
        // refuses): wait before asking again. Row counts are capped, so they never count as stalled.
        const onlySecrets = Object.entries(remaining).every(([kind, count]) => kind === 'deliveredSecrets' || count === 0);
        stalled = onlySecrets && JSON.stringify(remaining) === before ? stalled + 1 : 0;
        if (stalled > 0) await new Promise((resolvePromise) => setTimeout(resolvePromise, Math.min(10_000, 250 * 2 ** Math.min(stalled, 6))));
      }
      await this.rpc.send(IdentitySubjects.accountRemove, { principal: SYSTEM_PRINCIPAL, accountId });
      await this.jobs.finish(accountId, this.owner, remaining);
      this.duration.observe((Date.now() - started) / 1000);
      this.logger.log(`Account ${accountName} reaped in ${Date.now() - started} ms`);
      return 'done';
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.jobs.release(accountId, this.owner, reason).catch(() => undefined);
      throw error;
    }
  }
}
