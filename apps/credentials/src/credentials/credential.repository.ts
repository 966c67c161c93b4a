import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CredentialScope, type StoredCredentialType } from '@keyward/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { ExportAuditEntity } from '../audit/export-audit.entity';
import { ProjectEntity } from '../projects/project.entity';
import { SecretEntity } from '../secrets/secret.entity';
import { CredentialEntity } from './credential.entity';

/** A credential with the names its view shows: its project and its existing secret. */
export interface CredentialRow extends CredentialEntity {
  projectName: string | null;
  secretRef: string | null;
}

export interface CredentialFilter {
  type?: StoredCredentialType;
  scope?: CredentialScope;
  projectId?: string;
  /** Credentials a project sees: its own and every credential of scope `all`. */
  effectiveForProjectId?: string;
}

@Injectable()
export class CredentialRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(CredentialEntity);
  }

  private rows() {
    return this.repo()
      .createQueryBuilder('c')
      .leftJoin(ProjectEntity, 'p', 'p.id = c.project_id')
      .leftJoin(SecretEntity, 's', 's.id = c.existing_secret_id')
      .addSelect('p.name', 'project_name')
      .addSelect(`s.namespace || '/' || s.name`, 'secret_ref');
  }

  private static attach(entities: CredentialEntity[], raw: Array<{ project_name: string | null; secret_ref: string | null }>): CredentialRow[] {
    return entities.map((entity, index) => Object.assign(entity, { projectName: raw[index]?.project_name ?? null, secretRef: raw[index]?.secret_ref ?? null }));
  }

  async findById(accountId: string, id: string): Promise<CredentialRow | null> {
    const { entities, raw } = await this.rows().where('c.account_id = :accountId AND c.id = :id', { accountId, id }).getRawAndEntities();
    return CredentialRepository.attach(entities, raw)[0] ?? null;
  }

  async list(accountId: string, filter: CredentialFilter, take: number, skip: number): Promise<[CredentialRow[], number]> {
    const query = this.rows().where('c.account_id = :accountId', { accountId }).orderBy('c.created_at', 'ASC').addOrderBy('c.id', 'ASC');
    if (filter.type) query.andWhere('c.type = :type', { type: filter.type });
    if (filter.scope) query.andWhere('c.scope = :scope', { scope: filter.scope });
    if (filter.projectId) query.andWhere('c.project_id = :projectId', { projectId: filter.projectId });
    if (filter.effectiveForProjectId) {
      query.andWhere(`(c.scope = 'all' OR c.project_id = :effective)`, { effective: filter.effectiveForProjectId });
    }
    const total = await query.getCount();
    const { entities, raw } = await query.offset(skip).limit(take).getRawAndEntities();
    return [CredentialRepository.attach(entities, raw), total];
  }

  insert(credential: Omit<CredentialEntity, 'createdAt' | 'updatedAt'>, manager?: EntityManager): Promise<CredentialEntity> {
    const repo = this.repo(manager);
    return repo.save(repo.create(credential));
  }

  async updateDetails(accountId: string, id: string, details: Pick<CredentialEntity, 'name' | 'description'>): Promise<void> {
    await this.repo().update({ accountId, id }, details);
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    const result = await this.repo().delete({ accountId, id });
    return (result.affected ?? 0) > 0;
  }

  /** Records an export; the material is returned only after this row is written. */
  async audit(entry: Omit<ExportAuditEntity, 'id' | 'exportedAt'>): Promise<void> {
    await this.dataSource.getRepository(ExportAuditEntity).insert(entry);
  }
}
