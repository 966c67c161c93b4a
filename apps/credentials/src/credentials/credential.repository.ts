import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CredentialScope, type StoredCredentialType } from '@keyward/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { ExportAuditEntity } from '../audit/export-audit.entity';
import { ProjectEntity } from '../projects/project.entity';
import { SecretEntity } from '../secrets/secret.entity';
import { invalidField } from '../fields';
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

export interface CredentialPage {
  rows: CredentialRow[];
  total: number;
  totalEstimated: boolean;
  next: string | null;
}

/** Lists count their rows one by one up to this many; past it, X-Total-Count is an estimate. */
export const COUNT_EXACT_UP_TO = 10_000;

/** A row's creation time in microseconds since the epoch, exactly (JavaScript dates keep milliseconds). */
const CURSOR_SELECT = '(extract(epoch FROM c.created_at) * 1000000)::bigint::text';

function encodeCursor(micros: string, id: string): string {
  return Buffer.from(`${micros}.${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { micros: string; id: string } {
  const match = /^(-?[0-9]{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match?.[1] || !match[2]) throw invalidField('after', 'is not a cursor: give the X-Next-Cursor of the page before');
  return { micros: match[1], id: match[2] };
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

  /**
   * One page, in creation order. With `after` (the `next` of the page before) it starts right
   * after that row through the (account_id, created_at, id) index, so a page costs the same at row
   * 10 and at row 1,000,000; `skip` (offset) walks the rows it skips. The total is counted exactly
   * up to COUNT_EXACT_UP_TO rows; past that it is the planner's estimate, and says so.
   */
  async list(accountId: string, filter: CredentialFilter, page: { take: number; skip: number; after?: string }): Promise<CredentialPage> {
    const conditions = ['c.account_id = :accountId'];
    const parameters: Record<string, unknown> = { accountId };
    const add = (condition: string, name: string, value: unknown) => {
      conditions.push(condition);
      parameters[name] = value;
    };
    if (filter.type) add('c.type = :type', 'type', filter.type);
    if (filter.scope) add('c.scope = :scope', 'scope', filter.scope);
    if (filter.projectId) add('c.project_id = :projectId', 'projectId', filter.projectId);
    if (filter.effectiveForProjectId) add(`(c.scope = 'all' OR c.project_id = :effective)`, 'effective', filter.effectiveForProjectId);
    const where = conditions.join(' AND ');

    const query = this.rows().addSelect(CURSOR_SELECT, 'cursor_us').where(where, parameters).orderBy('c.created_at', 'ASC').addOrderBy('c.id', 'ASC');
    if (page.after) {
      const { micros, id } = decodeCursor(page.after);
      query.andWhere(`(c.created_at, c.id) > (timestamptz 'epoch' + :afterMicros * interval '1 microsecond', :afterId::uuid)`, { afterMicros: micros, afterId: id });
    }
    const [{ entities, raw }, counted] = await Promise.all([
      query.offset(page.skip).limit(page.take).getRawAndEntities<{ project_name: string | null; secret_ref: string | null; cursor_us: string }>(),
      this.countUpTo(where, parameters),
    ]);
    const last = raw[raw.length - 1];
    return {
      rows: CredentialRepository.attach(entities, raw),
      ...counted,
      next: entities.length === page.take && last ? encodeCursor(last.cursor_us, entities[entities.length - 1]?.id ?? '') : null,
    };
  }

  private async countUpTo(where: string, parameters: Record<string, unknown>): Promise<{ total: number; totalEstimated: boolean }> {
    const matching = () => this.repo().createQueryBuilder('c').select('1').where(where, parameters);
    const [sql, values] = matching().limit(COUNT_EXACT_UP_TO + 1).getQueryAndParameters();
    const rows = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) capped`, values)) as { n: number }[];
    const exact = rows[0]?.n ?? 0;
    if (exact <= COUNT_EXACT_UP_TO) return { total: exact, totalEstimated: false };
    const [planSql, planValues] = matching().getQueryAndParameters();
    const plan = (await this.dataSource.query(`EXPLAIN (FORMAT JSON) ${planSql}`, planValues)) as { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }[];
    const estimate = Math.round(plan[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0);
    return { total: Math.max(estimate, exact), totalEstimated: true };
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
