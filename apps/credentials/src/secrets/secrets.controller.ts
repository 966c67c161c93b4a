import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CredentialsSubjects, type Page, SecretCreateRequest, SecretListRequest, SecretRef, type SecretView } from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { SecretsService } from './secrets.service';

/** Existing secrets an account registers for credentials to use. */
@Controller()
export class SecretsController {
  constructor(private readonly service: SecretsService) {}

  @Rpc(CredentialsSubjects.secretCreate)
  createSecret(@Payload() request: SecretCreateRequest): Promise<SecretView> {
    return this.service.create(request);
  }

  @Rpc(CredentialsSubjects.secretList)
  listSecrets(@Payload() request: SecretListRequest): Promise<Page<SecretView>> {
    return this.service.list(request);
  }

  @Rpc(CredentialsSubjects.secretDelete)
  deleteSecret(@Payload() request: SecretRef): Promise<Record<string, never>> {
    return this.service.delete(request);
  }
}
