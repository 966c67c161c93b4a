import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CredentialCreateRequest,
  CredentialExportRequest,
  type CredentialExportView,
  CredentialListRequest,
  CredentialRef,
  CredentialsSubjects,
  CredentialUpdateRequest,
  EffectiveCredentialsRequest,
  type Page,
  type StoredCredentialView,
} from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { CredentialsService } from './credentials.service';

/** Stored credentials: create, list, read, change, delete and export. */
@Controller()
export class CredentialsController {
  constructor(private readonly service: CredentialsService) {}

  @Rpc(CredentialsSubjects.credentialCreate)
  createCredential(@Payload() request: CredentialCreateRequest): Promise<StoredCredentialView> {
    return this.service.create(request);
  }

  @Rpc(CredentialsSubjects.credentialList)
  listCredentials(@Payload() request: CredentialListRequest): Promise<Page<StoredCredentialView>> {
    return this.service.list(request);
  }

  @Rpc(CredentialsSubjects.credentialListEffective)
  listEffective(@Payload() request: EffectiveCredentialsRequest): Promise<Page<StoredCredentialView>> {
    return this.service.listEffective(request);
  }

  @Rpc(CredentialsSubjects.credentialGet)
  getCredential(@Payload() request: CredentialRef): Promise<StoredCredentialView> {
    return this.service.get(request);
  }

  @Rpc(CredentialsSubjects.credentialUpdate)
  updateCredential(@Payload() request: CredentialUpdateRequest): Promise<StoredCredentialView> {
    return this.service.update(request);
  }

  @Rpc(CredentialsSubjects.credentialDelete)
  deleteCredential(@Payload() request: CredentialRef): Promise<Record<string, never>> {
    return this.service.delete(request);
  }

  @Rpc(CredentialsSubjects.credentialExport)
  exportCredential(@Payload() request: CredentialExportRequest): Promise<CredentialExportView> {
    return this.service.export(request);
  }
}
