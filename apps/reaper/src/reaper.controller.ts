import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountByNameRequest, type DeletionProgressView, type HealthView, ReaperSubjects } from '@keyward/contracts';
import { assertMayAct } from '@keyward/domain';
import { Rpc, toRfc3339 } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { JobRepository } from './jobs/job.repository';

@Controller()
export class ReaperController {
  constructor(
    private readonly jobs: JobRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** What is left of an account being deleted, for `GET /v1/accounts/{account}`. */
  @Rpc(ReaperSubjects.jobGet)
  async get(@Payload() request: AccountByNameRequest): Promise<DeletionProgressView | null> {
    assertMayAct(request.principal, request.account, 'getAccount');
    const job = await this.jobs.findOpenByName(request.account);
    if (!job) return null;
    return { accountId: job.accountId, name: job.accountName, remaining: job.remaining, lastError: job.lastError, updatedAt: toRfc3339(job.updatedAt) };
  }

  @Rpc(ReaperSubjects.healthCheck)
  async health(): Promise<HealthView> {
    return this.dataSource.query('SELECT 1').then(
      () => ({ database: 'up' as const }),
      () => ({ database: 'down' as const }),
    );
  }
}
