import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLUSTER_WIDE_LABEL, CLUSTER_WIDE_NAMESPACE, PROJECT_LABEL } from '@keyward/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { SecretEntity } from './secret.entity';

export interface SecretRow extends SecretEntity {
  usedBy: string | null;
}

export interface SecretFilter {
  unused?: boolean;
  /** Only secrets a credential of a project in this namespace may use; null means scope `all`. */
  availableToNamespace?: string | null;
}

@Injectable()
export class SecretRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Removes the account's secrets discovered in Kubernetes that are no longer there (`keep`:
   * `<namespace>/<name>` of those still labelled), except those a credential uses; answers how many went.
   */
  async removeDiscoveredExcept(manager: EntityManager, accountId: string, keep: string[]): Promise<number> {
    const [removed] = (await manager.query(
      `DELETE FROM credentials.secrets s
        WHERE s.account_id = $1 AND s.source = 'kubernetes'
          AND NOT (s.namespace || '/' || s.name = ANY($2::text[]))
          AND NOT EXISTS (SELECT 1 FROM credentials.credentials c WHERE c.existing_secret_id = s.id)
        RETURNING s.id`,
      [accountId, keep],
    )) as [unknown[], number];
    return Array.isArray(removed) ? removed.length : 0;
  }

  /** The ids of the keys secret data is sealed under. */
  async sealingKeyIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT DISTINCT split_part(data_sealed, '.', 2) AS key_id FROM credentials.secrets`)) as Array<{
      key_id: string;
    }>;
    return rows.map((row) => row.key_id);
  }

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(SecretEntity);
  }

  findByName(accountId: string, namespace: string, name: string, manager?: EntityManager): Promise<SecretEntity | null> {
    return this.repo(manager).findOneBy({ accountId, namespace, name });
  }

  findById(id: string): Promise<SecretEntity | null> {
    return this.repo().findOneBy({ id });
  }

  insert(secret: Omit<SecretEntity, 'createdAt'>, manager?: EntityManager): Promise<SecretEntity> {
    const repo = this.repo(manager);
    return repo.save(repo.create(secret));
  }

  /**
   * Lists an account's secrets with the credential using each. Availability follows the labels:
   * cluster-wide secrets (in the cluster-wide namespace, labelled) serve every project and scope
   * `all`; project secrets (labelled, in the project's namespace) serve that project only.
   */
  async list(accountId: string, filter: SecretFilter, take: number, skip: number): Promise<[SecretRow[], number]> {
    const query = this.repo()
      .createQueryBuilder('s')
      .leftJoin('credentials', 'c', 'c.existing_secret_id = s.id')
      .addSelect('c.id', 'used_by')
      .where('s.account_id = :accountId', { accountId })
      .orderBy('s.namespace', 'ASC')
      .addOrderBy('s.name', 'ASC');
    if (filter.unused) {
      query.andWhere('c.id IS NULL');
    }
    if (filter.availableToNamespace !== undefined) {
      const clusterWide = `(s.namespace = :clusterNs AND s.labels ->> :clusterLabel = 'true')`;
      const params = { clusterNs: CLUSTER_WIDE_NAMESPACE, clusterLabel: CLUSTER_WIDE_LABEL, projectLabel: PROJECT_LABEL };
      if (filter.availableToNamespace === null) {
        query.andWhere(clusterWide, params);
      } else {
        query.andWhere(`(${clusterWide} OR (s.namespace = :projectNs AND s.labels ->> :projectLabel = 'true'))`, {
          ...params,
          projectNs: filter.availableToNamespace,
        });
      }
    }
    const total = await query.getCount();
    const { entities, raw } = await query.offset(skip).limit(take).getRawAndEntities<{ used_by: string | null }>();
    return [entities.map((entity, index) => Object.assign(entity, { usedBy: raw[index]?.used_by ?? null })), total];
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ id });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
