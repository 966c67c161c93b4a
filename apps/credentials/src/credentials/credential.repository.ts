import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CredentialScope, type StoredCredentialType } from '@keyward/domain';
import { PreparedStatement } from '@keyward/nest-common';
import { LRUCache } from 'lru-cache';
import { DataSource, type EntityManager } from 'typeorm';
import { ExportAuditEntity } from '../audit/export-audit.entity';
import { invalidField } from '../fields';
import { CredentialEntity } from './credential.entity';

/** A credential with the names its view shows: its project and its existing secret. */
export interface CredentialRow extends CredentialEntity {
  projectName: string | null;
  secretRef: string | null;
}

/**
 * What a credential's view shows: its row without the sealed values, but with the id of the key
 * they are sealed under. A page is read as these: its sealed values are never read at all.
 */
export type CredentialSummary = Omit<CredentialRow, 'valuesSealed'> & { keyId: string | null };

/** The columns a credential by id and a page's rows share, as `pg` returns them. */
interface RawCommonRow {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  type: StoredCredentialType;
  scope: CredentialScope;
  project_id: string | null;
  public_values: Record<string, string> | null;
  existing_secret_id: string | null;
  created_by: string;
  project_name: string | null;
  secret_ref: string | null;
}

/** A row of a credential by id. */
interface RawCredentialRow extends RawCommonRow {
  values_sealed: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A row of a page: its times as seconds since the epoch (float8), cheaper to read than timestamps. */
interface RawSummaryRow extends RawCommonRow {
  key_id: string | null;
  created_s: number;
  updated_s: number;
  cursor_us: string;
}

function commonFromRaw(row: RawCommonRow): Omit<CredentialSummary, 'keyId' | 'createdAt' | 'updatedAt'> {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    description: row.description,
    type: row.type,
    scope: row.scope,
    projectId: row.project_id,
    publicValues: row.public_values,
    existingSecretId: row.existing_secret_id,
    createdBy: row.created_by,
    projectName: row.project_name,
    secretRef: row.secret_ref,
  };
}

function fromRaw(row: RawCredentialRow): CredentialRow {
  return { ...commonFromRaw(row), valuesSealed: row.values_sealed, createdAt: row.created_at, updatedAt: row.updated_at };
}

function summaryFromRaw(row: RawSummaryRow): CredentialSummary {
  return { ...commonFromRaw(row), keyId: row.key_id, createdAt: new Date(row.created_s * 1000), updatedAt: new Date(row.updated_s * 1000) };
}

export interface CredentialFilter {
  type?: StoredCredentialType;
  scope?: CredentialScope;
  projectId?: string;
  /** Credentials a project sees: its own and every credential of scope `all`. */
  effectiveForProjectId?: string;
}

export interface CredentialPage {
  rows: CredentialSummary[];
  total: number;
  totalEstimated: boolean;
  next: string | null;
}

/** Lists count their rows one by one up to this many (a fraction of a millisecond); past it, X-Total-Count is an estimate. */
export const COUNT_EXACT_UP_TO = 1_000;

/** How long a planner's estimate of a list's size is reused (it moves only with ANALYZE anyway). */
export const ESTIMATE_TTL_MS = 10_000;

/** A row's creation time in microseconds since the epoch, exactly (JavaScript dates keep milliseconds). */
const CURSOR_SELECT = '(extract(epoch FROM c.created_at) * 1000000)::bigint::text';

/**
 * Plain SQL mapped by hand (fromRaw, summaryFromRaw), for one row and for pages alike: the query
 * builder's entity hydration cost the service several times what the query itself costs. A
 * credential comes with its project's name and its existing secret's `<namespace>/<name>`.
 */
const ROW_JOINS = `FROM credentials.credentials c
                      LEFT JOIN credentials.projects p ON p.id = c.project_id
                      LEFT JOIN credentials.secrets s ON s.id = c.existing_secret_id`;

const ROW_SELECT = `SELECT c.id, c.account_id, c.name, c.description, c.type, c.scope, c.project_id, c.public_values, c.values_sealed,
                           c.existing_secret_id, c.created_by, c.created_at, c.updated_at, p.name AS project_name,
                           s.namespace || '/' || s.name AS secret_ref
                      ${ROW_JOINS}`;

/** A page's rows: the key id (`v1.<key id>.<...>`, KeyRing.keyIdOf) instead of the sealed values. */
const SUMMARY_SELECT = `SELECT c.id, c.account_id, c.name, c.description, c.type, c.scope, c.project_id, c.public_values,
                               NULLIF(split_part(c.values_sealed, '.', 2), '') AS key_id,
                               c.existing_secret_id, c.created_by, date_part('epoch', c.created_at) AS created_s,
                               date_part('epoch', c.updated_at) AS updated_s, p.name AS project_name,
                               s.namespace || '/' || s.name AS secret_ref, ${CURSOR_SELECT} AS cursor_us
                          ${ROW_JOINS}`;

const FIND_BY_ID = new PreparedStatement<RawCredentialRow>('credentials.by-id', `${ROW_SELECT} WHERE c.account_id = $1 AND c.id = $2`);

/** One statement, no transaction: it inserts nothing once the account's purge has begun (AccountWrites.insertingAlone). */
const INSERT = new PreparedStatement<{ created_at: Date; updated_at: Date }>(
  'credentials.insert',
  `INSERT INTO credentials.credentials (id, account_id, name, description, type, scope, project_id, public_values, values_sealed, existing_secret_id, created_by)
   SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::uuid, $8::jsonb, $9::text, $10::uuid, $11::text
    WHERE credentials.hold_against_purge($2::uuid)
   RETURNING created_at, updated_at`,
);

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
  /** Estimated totals by filter: a page of a large account is then one statement, not two. */
  private readonly estimates = new LRUCache<string, number>({ max: 1_000, ttl: ESTIMATE_TTL_MS });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The ids of the keys credential values are sealed under. */
  async sealingKeyIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT split_part(values_sealed, '.', 2) AS key_id FROM credentials.credentials WHERE values_sealed IS NOT NULL`,
    )) as Array<{ key_id: string }>;
    return rows.map((row) => row.key_id);
  }

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(CredentialEntity);
  }

  async findById(accountId: string, id: string): Promise<CredentialRow | null> {
    const raw = await FIND_BY_ID.run(this.dataSource, [accountId, id]);
    return raw[0] ? fromRaw(raw[0]) : null;
  }

  /**
   * One page, in creation order, and its total: one statement. With `after` (the `next` of the
   * page before) it starts right after that row through the (account_id, created_at, id) index, so
   * a page costs the same at row 10 and at row 1,000,000; `skip` (offset) walks the rows it skips.
   * The total is counted exactly up to COUNT_EXACT_UP_TO rows; past that it is the planner's
   * estimate and says so. A filter found that large is not counted again for ESTIMATE_TTL_MS: its
   * pages are then the page alone, with the estimate (so an account that shrinks below the
   * threshold may show an estimate for that long).
   */
  async list(accountId: string, filter: CredentialFilter, page: { take: number; skip: number; after?: string }): Promise<CredentialPage> {
    const values: unknown[] = [accountId];
    const param = (value: unknown) => `$${values.push(value)}`;
    const conditions = ['c.account_id = $1'];
    if (filter.type) conditions.push(`c.type = ${param(filter.type)}`);
    if (filter.scope) conditions.push(`c.scope = ${param(filter.scope)}`);
    if (filter.projectId) conditions.push(`c.project_id = ${param(filter.projectId)}`);
    if (filter.effectiveForProjectId) conditions.push(`(c.scope = 'all' OR c.project_id = ${param(filter.effectiveForProjectId)})`);
    const where = conditions.join(' AND ');
    const filterValues = [...values];
    let after = '';
    if (page.after) {
      const { micros, id } = decodeCursor(page.after);
      after = ` AND (c.created_at, c.id) > (timestamptz 'epoch' + ${param(micros)}::bigint * interval '1 microsecond', ${param(id)}::uuid)`;
    }
    const order = `WHERE ${where}${after}
                    ORDER BY c.created_at, c.id
                    LIMIT ${param(page.take)} OFFSET ${param(page.skip)}`;
    const next = (rows: RawSummaryRow[]) => {
      const last = rows[rows.length - 1];
      return rows.length === page.take && last ? encodeCursor(last.cursor_us, last.id) : null;
    };
    const sizeKey = JSON.stringify([where, filterValues]);
    const large = this.estimates.get(sizeKey);
    if (large !== undefined) {
      // Known to be past the exact count: the page alone.
      const rows = await PreparedStatement.shaped<RawSummaryRow>('credentials.page', `${SUMMARY_SELECT} ${order}`).run(this.dataSource, values);
      return {
        rows: rows.map(summaryFromRaw),
        total: rows.length > 0 ? Math.max(large, page.skip + rows.length) : large,
        totalEstimated: true,
        next: next(rows),
      };
    }
    // The count rides along as a column; a page past the end is the one row of nulls the join leaves.
    const sql = `WITH counted AS (SELECT count(*)::int AS total FROM (SELECT 1 FROM credentials.credentials c WHERE ${where} LIMIT ${COUNT_EXACT_UP_TO + 1}) capped)
                 SELECT page.*, counted.total FROM counted LEFT JOIN LATERAL (${SUMMARY_SELECT} ${order}) page ON true`;
    const raw = await PreparedStatement.shaped<RawSummaryRow & { total: number }>('credentials.page', sql).run(this.dataSource, values);
    const rows = raw[0]?.id === null ? [] : raw;
    const exact = raw[0]?.total ?? 0;
    return {
      rows: rows.map(summaryFromRaw),
      ...(exact <= COUNT_EXACT_UP_TO
        ? { total: exact, totalEstimated: false }
        : { total: await this.estimate(sizeKey, where, filterValues, exact), totalEstimated: true }),
      next: next(rows),
    };
  }

  /** The planner's estimate of the rows `where` matches, never below what was counted, remembered for ESTIMATE_TTL_MS. */
  private async estimate(key: string, where: string, values: unknown[], atLeast: number): Promise<number> {
    const plan = (await this.dataSource.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM credentials.credentials c WHERE ${where}`, values)) as {
      'QUERY PLAN': { Plan: { 'Plan Rows': number } }[];
    }[];
    const estimate = Math.max(Math.round(plan[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0), atLeast);
    this.estimates.set(key, estimate);
    return estimate;
  }

  /**
   * One INSERT ... RETURNING (the query builder's save() read the row first and again after),
   * held against the account's purge: undefined when the purge has begun.
   */
  async insert(credential: Omit<CredentialEntity, 'createdAt' | 'updatedAt'>): Promise<CredentialEntity | undefined> {
    const rows = await INSERT.run(this.dataSource, [
      credential.id,
      credential.accountId,
      credential.name,
      credential.description,
      credential.type,
      credential.scope,
      credential.projectId,
      credential.publicValues === null ? null : JSON.stringify(credential.publicValues),
      credential.valuesSealed,
      credential.existingSecretId,
      credential.createdBy,
    ]);
    const [stamps] = rows;
    if (!stamps) return undefined;
    return { ...credential, createdAt: stamps.created_at, updatedAt: stamps.updated_at };
  }

  async updateDetails(
    accountId: string,
    id: string,
    details: Partial<Pick<CredentialEntity, 'name' | 'description' | 'publicValues' | 'valuesSealed' | 'scope' | 'projectId'>>,
  ): Promise<void> {
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
