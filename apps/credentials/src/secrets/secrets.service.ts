import { Injectable } from '@nestjs/common';
import { type Page, type SecretCreateRequest, type SecretListRequest, type SecretRef, type SecretView } from '@keyward/contracts';
import { assertMayActInAccount, DomainError, ErrorCode, KUBERNETES_NAME_PATTERN, KUBERNETES_SUBDOMAIN_PATTERN } from '@keyward/domain';
import { isForeignKeyViolation, isUniqueViolation, KeyRing, toRfc3339 } from '@keyward/nest-common';
import { randomUUID } from 'node:crypto';
import { AccountWrites } from '../accounts/account-writes';
import { pageOf, requireMatch, stringMap } from '../fields';
import { ProjectsService } from '../projects/projects.service';
import { secretContext } from './secret-context';
import { type SecretEntity } from './secret.entity';
import { type SecretRow, SecretRepository } from './secret.repository';

export function toSecretView(secret: SecretEntity, usedBy: string | null): SecretView {
  return {
    namespace: secret.namespace,
    name: secret.name,
    type: secret.type,
    labels: secret.labels,
    keys: secret.dataKeys,
    usedBy,
    source: secret.source,
    createdAt: toRfc3339(secret.createdAt),
  };
}

/** The inventory of existing secrets that credentials may point at. */
@Injectable()
export class SecretsService {
  constructor(
    private readonly secrets: SecretRepository,
    private readonly projects: ProjectsService,
    private readonly keyRing: KeyRing,
    private readonly writes: AccountWrites,
  ) {}

  async create(request: SecretCreateRequest): Promise<SecretView> {
    assertMayActInAccount(request.principal, request.account, 'createSecret');
    const namespace = requireMatch('namespace', request.namespace, KUBERNETES_NAME_PATTERN, 'must be a Kubernetes namespace name');
    const name = requireMatch('name', request.name, KUBERNETES_SUBDOMAIN_PATTERN, 'must be a Kubernetes secret name (lowercase letters, digits, - and .)');
    const labels = stringMap('labels', request.labels, { required: false, maxLength: 63 });
    const data = stringMap('data', request.data, { required: true });
    const id = randomUUID();
    try {
      const record = {
        id,
        accountId: request.account.id,
        namespace,
        name,
        type: request.type ?? 'Opaque',
        labels,
        dataKeys: Object.keys(data).sort(),
        dataSealed: this.keyRing.seal(JSON.stringify(data), secretContext(id)),
        source: 'api' as const,
      };
      const secret = await this.writes.inserting(request.principal, request.account, (manager) => this.secrets.insert(record, manager));
      return toSecretView(secret, null);
    } catch (error: unknown) {
      if (isUniqueViolation(error, 'secrets_account_namespace_name_unique')) {
        throw new DomainError(ErrorCode.SecretAlreadyExists, `Secret ${namespace}/${name} already exists`);
      }
      throw error;
    }
  }

  async list(request: SecretListRequest): Promise<Page<SecretView>> {
    assertMayActInAccount(request.principal, request.account, 'listSecrets');
    const project = request.project ? await this.projects.find(request.account.id, request.project) : undefined;
    const { take, skip } = pageOf(request.page);
    const [rows, total] = await this.secrets.list(
      request.account.id,
      { unused: request.unused, availableToNamespace: project ? project.namespace : undefined },
      take,
      skip,
    );
    return { items: rows.map((row: SecretRow) => toSecretView(row, row.usedBy)), total };
  }

  async delete(request: SecretRef): Promise<Record<string, never>> {
    assertMayActInAccount(request.principal, request.account, 'deleteSecret');
    await this.writes.assertEnabled(request.principal, request.account);
    await this.secrets
      .transaction(async (manager) => {
        const secret = await this.secrets.findByName(request.account.id, request.namespace, request.name, manager);
        if (!secret) {
          throw new DomainError(ErrorCode.SecretNotFound, `Secret ${request.namespace}/${request.name} not found`);
        }
        await this.secrets.delete(secret.id, manager);
      })
      .catch((error: unknown) => {
        if (isForeignKeyViolation(error)) {
          throw new DomainError(ErrorCode.SecretInUse, `Secret ${request.namespace}/${request.name} is used by a credential: delete the credential first`);
        }
        throw error;
      });
    return {};
  }

  /** The secret's data, opened: for exports only. */
  openData(secret: SecretEntity): Record<string, string> {
    return JSON.parse(this.keyRing.open(secret.dataSealed, secretContext(secret.id))) as Record<string, string>;
  }
}
