import { Injectable } from '@nestjs/common';
import { type AccountByNameRequest, type DeletionProgressView } from '@keyward/contracts';
import { assertMayAct } from '@keyward/domain';
import { toRfc3339 } from '@keyward/nest-common';
import { JobRepository } from './job.repository';

/** What the reaper tells about its deletions. */
@Injectable()
export class JobsService {
  constructor(private readonly jobs: JobRepository) {}

  /** What is left of an account being deleted (null: no deletion under way), for those who may read the account. */
  async progress(request: AccountByNameRequest): Promise<DeletionProgressView | null> {
    assertMayAct(request.principal, request.account, 'getAccount');
    const job = await this.jobs.findOpenByName(request.account);
    if (!job) return null;
    return { accountId: job.accountId, name: job.accountName, remaining: job.remaining, lastError: job.lastError, updatedAt: toRfc3339(job.updatedAt) };
  }
}
