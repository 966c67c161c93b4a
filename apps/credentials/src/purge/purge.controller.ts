import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AccountPurgeRequest, CredentialsSubjects, type PurgeView } from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { PurgeService } from './purge.service';

/** The reaper's purge of an account being deleted. */
@Controller()
export class PurgeController {
  constructor(private readonly service: PurgeService) {}

  @Rpc(CredentialsSubjects.accountPurge)
  purge(@Payload() request: AccountPurgeRequest): Promise<PurgeView> {
    return this.service.purge(request);
  }
}
