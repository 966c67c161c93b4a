import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AccountByNameRequest, type DeletionProgressView, ReaperSubjects } from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { JobsService } from './jobs.service';

@Controller()
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** What is left of an account being deleted, for `GET /v1/accounts/{account}`. */
  @Rpc(ReaperSubjects.jobGet)
  get(@Payload() request: AccountByNameRequest): Promise<DeletionProgressView | null> {
    return this.jobs.progress(request);
  }
}
