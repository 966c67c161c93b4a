import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AccountPurgeRequest,
  CredentialCreateRequest,
  type CredentialExportView,
  CredentialExportRequest,
  CredentialListRequest,
  CredentialRef,
  CredentialsSubjects,
  CredentialUpdateRequest,
  EffectiveCredentialsRequest,
  type HealthView,
  type Page,
  ProjectCreateRequest,
  ProjectListRequest,
  ProjectRef,
  ProjectUpdateRequest,
  type ProjectView,
  type PurgeView,
  SecretCreateRequest,
  SecretListRequest,
  SecretRef,
  type SecretView,
  type StoredCredentialView,
} from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CredentialsService } from './credentials/credentials.service';
import { ProjectsService } from './projects/projects.service';
import { PurgeService } from './purge/purge.service';
import { SecretsService } from './secrets/secrets.service';

/** Every request subject of the credentials service. */
@Controller()
export class CredentialsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly credentials: CredentialsService,
    private readonly secrets: SecretsService,
    private readonly purgeService: PurgeService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Rpc(CredentialsSubjects.healthCheck)
  async health(): Promise<HealthView> {
    return this.dataSource.query('SELECT 1').then(
      () => ({ database: 'up' as const }),
      () => ({ database: 'down' as const }),
    );
  }

  @Rpc(CredentialsSubjects.projectCreate)
  createProject(@Payload() request: ProjectCreateRequest): Promise<ProjectView> {
    return this.projects.create(request);
  }

  @Rpc(CredentialsSubjects.projectList)
  listProjects(@Payload() request: ProjectListRequest): Promise<Page<ProjectView>> {
    return this.projects.list(request);
  }

  @Rpc(CredentialsSubjects.projectGet)
  getProject(@Payload() request: ProjectRef): Promise<ProjectView> {
    return this.projects.get(request);
  }

  @Rpc(CredentialsSubjects.projectUpdate)
  updateProject(@Payload() request: ProjectUpdateRequest): Promise<ProjectView> {
    return this.projects.update(request);
  }

  @Rpc(CredentialsSubjects.projectDelete)
  deleteProject(@Payload() request: ProjectRef): Promise<Record<string, never>> {
    return this.projects.delete(request);
  }

  @Rpc(CredentialsSubjects.credentialCreate)
  createCredential(@Payload() request: CredentialCreateRequest): Promise<StoredCredentialView> {
    return this.credentials.create(request);
  }

  @Rpc(CredentialsSubjects.credentialList)
  listCredentials(@Payload() request: CredentialListRequest): Promise<Page<StoredCredentialView>> {
    return this.credentials.list(request);
  }

  @Rpc(CredentialsSubjects.credentialListEffective)
  listEffective(@Payload() request: EffectiveCredentialsRequest): Promise<Page<StoredCredentialView>> {
    return this.credentials.listEffective(request);
  }

  @Rpc(CredentialsSubjects.credentialGet)
  getCredential(@Payload() request: CredentialRef): Promise<StoredCredentialView> {
    return this.credentials.get(request);
  }

  @Rpc(CredentialsSubjects.credentialUpdate)
  updateCredential(@Payload() request: CredentialUpdateRequest): Promise<StoredCredentialView> {
    return this.credentials.update(request);
  }

  @Rpc(CredentialsSubjects.credentialDelete)
  deleteCredential(@Payload() request: CredentialRef): Promise<Record<string, never>> {
    return this.credentials.delete(request);
  }

  @Rpc(CredentialsSubjects.credentialExport)
  exportCredential(@Payload() request: CredentialExportRequest): Promise<CredentialExportView> {
    return this.credentials.export(request);
  }

  @Rpc(CredentialsSubjects.secretCreate)
  createSecret(@Payload() request: SecretCreateRequest): Promise<SecretView> {
    return this.secrets.create(request);
  }

  @Rpc(CredentialsSubjects.secretList)
  listSecrets(@Payload() request: SecretListRequest): Promise<Page<SecretView>> {
    return this.secrets.list(request);
  }

  @Rpc(CredentialsSubjects.secretDelete)
  deleteSecret(@Payload() request: SecretRef): Promise<Record<string, never>> {
    return this.secrets.delete(request);
  }

  @Rpc(CredentialsSubjects.accountPurge)
  purge(@Payload() request: AccountPurgeRequest): Promise<PurgeView> {
    return this.purgeService.purge(request);
  }
}
