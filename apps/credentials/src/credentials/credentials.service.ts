import { Injectable } from '@nestjs/common';
import {
  type CredentialCreateRequest,
  type CredentialExportRequest,
  type CredentialExportView,
  type CredentialListRequest,
  type CredentialRef,
  type CredentialUpdateRequest,
  type EffectiveCredentialsRequest,
  type Page,
  type StoredCredentialView,
} from '@keyward/contracts';
import {
  assertMayActInAccount,
  CLUSTER_WIDE_NAMESPACE,
  CREDENTIAL_FIELDS,
  CredentialScope,
  DomainError,
  ErrorCode,
  ExportFormat,
  isSecretAvailable,
  KUBERNETES_SUBDOMAIN_PATTERN,
  StoredCredentialType,
} from '@keyward/domain';
import { isUniqueViolation, KeyRing, toRfc3339 } from '@keyward/nest-common';
import { randomUUID } from 'node:crypto';
import { AccountWrites } from '../accounts/account-writes';
import { DeliveryService } from '../delivery/delivery.service';
import { invalidField, isUuid, pageOf, requireMatch } from '../fields';
import { type ProjectEntity } from '../projects/project.entity';
import { ProjectsService } from '../projects/projects.service';
import { SecretRepository } from '../secrets/secret.repository';
import { SecretsService } from '../secrets/secrets.service';
import { credentialContext } from './credential-context';
import { renderExport } from './credential-export';
import { isValueType, maskedValues, publicValues, validateValues } from './credential-values';
import { type CredentialRow, CredentialRepository, type CredentialSummary } from './credential.repository';

const TYPES = Object.values(StoredCredentialType);
const SCOPES = Object.values(CredentialScope);
const FORMATS = Object.values(ExportFormat);

export function toCredentialView(row: CredentialRow | CredentialSummary): StoredCredentialView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    scope: row.scope,
    project: row.projectName,
    source: row.existingSecretId ? 'existing-secret' : 'new-secret',
    existingSecret: row.secretRef,
    values: maskedValues(row.type, row.publicValues),
    keyId: 'keyId' in row ? row.keyId : row.valuesSealed ? (KeyRing.keyIdOf(row.valuesSealed) ?? null) : null,
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
    createdBy: row.createdBy,
  };
}

function credentialNotFound(id: string): DomainError {
  return new DomainError(ErrorCode.CredentialNotFound, `Credential ${id} not found`);
}

const NAME_RULE = 'is required: 1 to 253 lowercase letters, digits, - or ., starting and ending with a letter or digit';

@Injectable()
export class CredentialsService {
  constructor(
    private readonly credentials: CredentialRepository,
    private readonly projects: ProjectsService,
    private readonly secretRepository: SecretRepository,
    private readonly secrets: SecretsService,
    private readonly keyRing: KeyRing,
    private readonly writes: AccountWrites,
    private readonly delivery: DeliveryService,
  ) {}

  /**
   * The project a credential's scope names. A missing one is the request's fault (a 400 on the
   * field); any other failure, a database outage say, stays what it is.
   */
  private async scopeProject(account: { id: string; name: string }, name: string): Promise<ProjectEntity> {
    try {
      return await this.projects.find(account.id, name);
    } catch (error: unknown) {
      if (error instanceof DomainError && error.code === ErrorCode.ProjectNotFound) {
        throw invalidField('project', `no project named ${name} in account ${account.name}`);
      }
      throw error;
    }
  }

  async create(request: CredentialCreateRequest): Promise<StoredCredentialView> {
    assertMayActInAccount(request.principal, request.account, 'createCredential');
    const name = requireMatch('name', request.name, KUBERNETES_SUBDOMAIN_PATTERN, NAME_RULE);
    const type = request.type as StoredCredentialType;
    if (!TYPES.includes(type)) throw invalidField('type', `must be one of ${TYPES.join(', ')}`);
    const scope = request.scope as CredentialScope;
    if (!SCOPES.includes(scope)) throw invalidField('scope', `must be one of ${SCOPES.join(', ')}`);
    let project: ProjectEntity | null = null;
    if (scope === CredentialScope.Project) {
      if (!request.project) throw invalidField('project', 'is required when scope is project');
      project = await this.scopeProject(request.account, request.project);
    } else if (request.project !== undefined) {
      throw invalidField('project', 'must be left out when scope is all');
    }
    if ((request.values === undefined) === (request.existingSecret === undefined)) {
      throw invalidField('values', 'give either values (a new secret) or existingSecret, not both and not neither');
    }
    if (type === StoredCredentialType.KubernetesSecret && request.existingSecret === undefined) {
      throw invalidField('existingSecret', 'is required for kubernetes-secret credentials: <namespace>/<name>');
    }

    const id = randomUUID();
    const base = {
      id,
      accountId: request.account.id,
      name,
      description: request.description ?? null,
      type,
      scope,
      projectId: project?.id ?? null,
      createdBy: request.principal.username,
    };
    let record;
    if (request.values !== undefined && isValueType(type)) {
      const values = validateValues(type, request.values);
      record = {
        ...base,
        publicValues: publicValues(type, values),
        valuesSealed: this.keyRing.seal(JSON.stringify(values), credentialContext(id)),
        existingSecretId: null,
      };
    } else {
      const secretId = await this.availableSecret(request, type, project);
      record = { ...base, publicValues: null, valuesSealed: null, existingSecretId: secretId };
    }
    let inserted;
    try {
      inserted = await this.writes.insertingAlone(request.principal, request.account, () => this.credentials.insert(record));
    } catch (error: unknown) {
      if (isUniqueViolation(error, 'credentials_existing_secret_unique')) {
        throw new DomainError(ErrorCode.SecretInUse, `Secret ${request.existingSecret} is already used by another credential`);
      }
      if (isUniqueViolation(error, 'credentials_all_name_unique') || isUniqueViolation(error, 'credentials_project_name_unique')) {
        throw new DomainError(
          ErrorCode.CredentialAlreadyExists,
          `A credential named ${name} already exists in ${project ? `project ${project.name}` : 'scope all'}`,
        );
      }
      throw error;
    }
    // The names the view shows are the ones just checked: nothing to read back.
    return toCredentialView({ ...inserted, projectName: project?.name ?? null, secretRef: record.existingSecretId ? (request.existingSecret ?? null) : null });
  }

  /** The existing secret named in the request, if this credential may use it. */
  private async availableSecret(request: CredentialCreateRequest, type: StoredCredentialType, project: ProjectEntity | null): Promise<string> {
    const [namespace, name, ...rest] = (request.existingSecret ?? '').split('/');
    if (!namespace || !name || rest.length > 0) {
      throw invalidField('existingSecret', 'must be <namespace>/<name>');
    }
    const secret = await this.secretRepository.findByName(request.account.id, namespace, name);
    if (!secret) {
      throw invalidField('existingSecret', `no secret ${namespace}/${name} in account ${request.account.name}`);
    }
    if (!isSecretAvailable(secret, project?.namespace ?? null)) {
      throw new DomainError(
        ErrorCode.SecretNotAvailable,
        project
          ? `Secret ${namespace}/${name} is not available to project ${project.name}: label it in the project's namespace or make it cluster-wide`
          : `Secret ${namespace}/${name} is not available to all projects: only cluster-wide secrets are (namespace ${CLUSTER_WIDE_NAMESPACE}, labelled)`,
        { field: 'existingSecret' },
      );
    }
    if (isValueType(type)) {
      // The secret stands in for `values`: it must hold the type's fields, under the same keys.
      const required = CREDENTIAL_FIELDS[type].map((field) => field.field);
      const missing = required.filter((key) => !secret.dataKeys.includes(key));
      if (missing.length > 0) {
        throw invalidField(
          'existingSecret',
          `secret ${namespace}/${name} must hold the keys ${required.join(', ')} for a ${type} credential (missing ${missing.join(', ')})`,
        );
      }
    }
    return secret.id;
  }

  async list(request: CredentialListRequest): Promise<Page<StoredCredentialView>> {
    assertMayActInAccount(request.principal, request.account, 'listCredentials');
    const project = request.project ? await this.projects.find(request.account.id, request.project) : undefined;
    const { rows, ...page } = await this.credentials.list(
      request.account.id,
      { type: request.type, scope: request.scope, projectId: project?.id },
      pageOf(request.page),
    );
    return { items: rows.map(toCredentialView), ...page };
  }

  async listEffective(request: EffectiveCredentialsRequest): Promise<Page<StoredCredentialView>> {
    assertMayActInAccount(request.principal, request.account, 'listCredentials');
    const project = await this.projects.find(request.account.id, request.project);
    const { rows, ...page } = await this.credentials.list(request.account.id, { effectiveForProjectId: project.id }, pageOf(request.page));
    return { items: rows.map(toCredentialView), ...page };
  }

  async get(request: CredentialRef): Promise<StoredCredentialView> {
    assertMayActInAccount(request.principal, request.account, 'getCredential');
    const row = await this.find(request.account.id, request.id);
    return { ...toCredentialView(row), delivery: await this.delivery.statusOfCredential(request.account.id, row.id) };
  }

  /**
   * The name, the description, the scope (and project) and, for a credential with values of its
   * own, the values (rotation: every field of its type, sealed anew under the current key). The
   * type and an existing secret a credential uses do not change: create another credential for
   * that. A credential that uses an existing secret moves only where that secret is available.
   */
  async update(request: CredentialUpdateRequest): Promise<StoredCredentialView> {
    assertMayActInAccount(request.principal, request.account, 'updateCredential');
    await this.writes.assertEnabled(request.principal, request.account);
    const row = await this.find(request.account.id, request.id);
    if (request.name !== undefined) row.name = requireMatch('name', request.name, KUBERNETES_SUBDOMAIN_PATTERN, NAME_RULE);
    if (request.description !== undefined) row.description = request.description;
    const rotated: Partial<Pick<CredentialRow, 'publicValues' | 'valuesSealed'>> = {};
    if (request.values !== undefined) {
      if (!row.valuesSealed || !isValueType(row.type)) {
        throw invalidField('values', `credential ${row.name} uses the existing secret ${row.secretRef ?? ''}: rotate that secret instead`);
      }
      const values = validateValues(row.type, request.values);
      rotated.publicValues = publicValues(row.type, values);
      rotated.valuesSealed = this.keyRing.seal(JSON.stringify(values), credentialContext(row.id));
    }
    const placement = await this.placement(request, row);
    try {
      await this.credentials.updateDetails(row.accountId, row.id, { name: row.name, description: row.description, ...rotated, ...placement });
    } catch (error: unknown) {
      if (isUniqueViolation(error, 'credentials_all_name_unique') || isUniqueViolation(error, 'credentials_project_name_unique')) {
        throw new DomainError(ErrorCode.CredentialAlreadyExists, `A credential named ${row.name} already exists in its scope`);
      }
      throw error;
    }
    return toCredentialView(await this.find(request.account.id, request.id));
  }

  /** The scope and project an update asks for, checked as a create checks them; nothing when it asks for neither. */
  private async placement(request: CredentialUpdateRequest, row: CredentialRow): Promise<Partial<Pick<CredentialRow, 'scope' | 'projectId'>>> {
    if (request.scope === undefined && request.project === undefined) return {};
    const scope = (request.scope ?? row.scope) as CredentialScope;
    if (!SCOPES.includes(scope)) throw invalidField('scope', `must be one of ${SCOPES.join(', ')}`);
    let project: ProjectEntity | null = null;
    if (scope === CredentialScope.Project) {
      const name = request.project ?? row.projectName;
      if (!name) throw invalidField('project', 'is required when scope is project');
      project = await this.scopeProject(request.account, name);
    } else if (request.project !== undefined) {
      throw invalidField('project', 'must be left out when scope is all');
    }
    if (row.existingSecretId) {
      const secret = await this.secretRepository.findById(row.existingSecretId);
      if (secret && !isSecretAvailable(secret, project?.namespace ?? null)) {
        throw new DomainError(
          ErrorCode.SecretNotAvailable,
          `Secret ${row.secretRef ?? ''} is not available to ${project ? `project ${project.name}` : 'all projects'}: the credential cannot move there`,
          { field: 'scope' },
        );
      }
    }
    return { scope, projectId: project?.id ?? null };
  }

  /** Deleting a credential frees the existing secret it used. */
  async delete(request: CredentialRef): Promise<Record<string, never>> {
    assertMayActInAccount(request.principal, request.account, 'deleteCredential');
    await this.writes.assertEnabled(request.principal, request.account);
    if (!isUuid(request.id) || !(await this.credentials.delete(request.account.id, request.id))) {
      throw credentialNotFound(request.id);
    }
    return {};
  }

  /** The material for a workload. Every export is audited before it is returned. */
  async export(request: CredentialExportRequest): Promise<CredentialExportView> {
    assertMayActInAccount(request.principal, request.account, 'exportCredential');
    const format = (request.format ?? '') as ExportFormat;
    if (!FORMATS.includes(format)) throw invalidField('format', `must be one of ${FORMATS.join(', ')}`);
    const row = await this.find(request.account.id, request.id);
    let material: Record<string, string>;
    let secretType: string | null = null;
    if (row.valuesSealed) {
      material = JSON.parse(this.keyRing.open(row.valuesSealed, credentialContext(row.id))) as Record<string, string>;
    } else {
      const secret = row.existingSecretId ? await this.secretRepository.findById(row.existingSecretId) : null;
      if (!secret) throw credentialNotFound(request.id);
      material = this.secrets.openData(secret);
      secretType = secret.type;
    }
    const namespace = row.projectId ? (await this.projects.find(request.account.id, row.projectName ?? '')).namespace : CLUSTER_WIDE_NAMESPACE;
    const rendered = renderExport({ name: row.name, type: row.type, material, secretType, namespace }, format);
    await this.credentials.audit({
      accountId: request.account.id,
      credentialId: row.id,
      credentialName: row.name,
      actor: request.principal.username,
      actorAccount: request.principal.accountName,
      format,
      address: request.address,
    });
    return { format, ...rendered };
  }

  private async find(accountId: string, id: string): Promise<CredentialRow> {
    const row = isUuid(id) ? await this.credentials.findById(accountId, id) : null;
    if (!row) {
      throw credentialNotFound(id);
    }
    return row;
  }
}
