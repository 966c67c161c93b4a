import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuditListRequest, type AuditRecordInput, type AuditRecordView } from '@keyward/contracts';
import { type DataSource, type EntityManager } from 'typeorm';
import { chained, chainHash } from './audit-chain';

interface AuditRow {
  seq: string;
  id: string;
  at: Date;
  actor: AuditRecordView['actor'];
  address: string | null;
  request_id: string | null;
  action: string;
  resource: AuditRecordView['resource'];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  result: AuditRecordView['result'];
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
  prunedSeq: number;
  prunedHash: string;
}

/** Past this many matching records a page's total is not counted one by one. */
export const AUDIT_COUNT_EXACT_UP_TO = 10_000;

function toView(row: AuditRow): AuditRecordView {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    address: row.address,
    requestId: row.request_id,
    action: row.action,
    resource: row.resource,
    before: row.before,
    after: row.after,
    result: row.result,
    hash: row.hash,
  };
}

/** Filters of a list, as SQL conditions with their parameters. */
function conditions(request: Omit<AuditListRequest, 'principal' | 'page'>): { where: string[]; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (request.account) add((n) => `account = ${n}`, request.account);
  if (request.actor) add((n) => `actor_username = ${n}`, request.actor);
  if (request.action) add((n) => (request.action?.includes('.') ? `action = ${n}` : `resource_type = ${n}`), request.action);
  if (request.resourceType) add((n) => `resource_type = ${n}`, request.resourceType);
  if (request.resourceId) add((n) => `resource_id = ${n}`, request.resourceId);
  if (request.outcome) add((n) => `result->>'outcome' = ${n}`, request.outcome);
  if (request.since) add((n) => `at >= ${n}::timestamptz`, request.since);
  if (request.until) add((n) => `at < ${n}::timestamptz`, request.until);
  return { where, values };
}

@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends records at the end of the chain, inside `manager`'s transaction: the head row is
   * locked, so appends from every replica and command queue up and the numbering has no gap. A
   * record whose id is already stored (a retry) is skipped. Returns the records stored.
   */
  async append(manager: EntityManager, records: AuditRecordInput[]): Promise<AuditRecordView[]> {
    const [head] = (await manager.query(`SELECT seq, hash FROM identity.audit_head FOR UPDATE`)) as Array<{ seq: string; hash: string }>;
    const ids = [...new Set(records.map((record) => record.id))];
    const stored = new Set(
      ((await manager.query(`SELECT id FROM identity.audit_log WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string }>).map((row) => row.id),
    );
    let seq = Number(head?.seq ?? 0);
    let hash = head?.hash ?? '';
    const views: AuditRecordView[] = [];
    for (const record of records) {
      if (stored.has(record.id)) continue;
      stored.add(record.id);
      const fields = chained(++seq, record);
      hash = chainHash(hash, fields);
      views.push({ ...fields, hash });
    }
    if (views.length === 0) return views;
    await manager.query(
      `INSERT INTO identity.audit_log (seq, id, at, actor, address, request_id, action, resource, before, after, result, hash)
       SELECT r.seq, r.id, r.at, r.actor, r.address, r."requestId", r.action, r.resource, r.before, r.after, r.result, r.hash
         FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, id uuid, at timestamptz, actor jsonb, address text, "requestId" text,
              action text, resource jsonb, before jsonb, after jsonb, result jsonb, hash text)`,
      [JSON.stringify(views)],
    );
    await manager.query(`UPDATE identity.audit_head SET seq = $1, hash = $2`, [seq, hash]);
    return views;
  }

  /** Newest first; `after` is the seq of the last record of the page before. */
  async list(request: AuditListRequest): Promise<{ items: AuditRecordView[]; total: number; totalEstimated: boolean }> {
    const { where, values } = conditions(request);
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const limit = request.page.limit ?? 100;
    const pageWhere = [...where];
    const pageValues = [...values];
    if (request.page.after !== undefined) {
      pageValues.push(request.page.after);
      pageWhere.push(`seq < $${pageValues.length}::bigint`);
    }
    const offset = request.page.after === undefined ? (request.page.offset ?? 0) : 0;
    const rows = (await this.dataSource.query(
      `SELECT * FROM identity.audit_log ${pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit} OFFSET ${offset}`,
      pageValues,
    )) as AuditRow[];
    const [counted] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM identity.audit_log ${filter} LIMIT ${AUDIT_COUNT_EXACT_UP_TO + 1}) capped`,
      values,
    )) as Array<{ n: number }>;
    const total = counted?.n ?? 0;
    return { items: rows.map(toView), total: Math.min(total, AUDIT_COUNT_EXACT_UP_TO), totalEstimated: total > AUDIT_COUNT_EXACT_UP_TO };
  }

  async head(): Promise<ChainHead> {
    const [row] = (await this.dataSource.query(`SELECT seq, hash, pruned_seq, pruned_hash FROM identity.audit_head`)) as Array<{
      seq: string;
      hash: string;
      pruned_seq: string;
      pruned_hash: string;
    }>;
    return { seq: Number(row?.seq ?? 0), hash: row?.hash ?? '', prunedSeq: Number(row?.pruned_seq ?? 0), prunedHash: row?.pruned_hash ?? '' };
  }

  /** Records in seq order after `afterSeq` up to `lastSeq`, `limit` at a time (for verification). */
  async chainFrom(afterSeq: number, lastSeq: number, limit: number): Promise<AuditRecordView[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM identity.audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${limit}`, [
      afterSeq,
      lastSeq,
    ])) as AuditRow[];
    return rows.map(toView);
  }

  /**
   * Removes records older than `days` (at most `batch` at a time, oldest first) and moves the
   * chain's start past them: the head keeps the seq and hash of the last one removed, so what
   * remains still verifies. Returns how many were removed.
   */
  async prune(days: number, batch: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM identity.audit_head FOR UPDATE`);
      const [last] = (await manager.query(
        `SELECT seq, hash FROM (SELECT seq, hash, at FROM identity.audit_log ORDER BY seq LIMIT ${batch}) oldest
          WHERE at < now() - make_interval(days => $1) ORDER BY seq DESC LIMIT 1`,
        [days],
      )) as Array<{ seq: string; hash: string }>;
      if (!last) return 0;
      const removed = (await manager.query(`DELETE FROM identity.audit_log WHERE seq <= $1`, [last.seq])) as [unknown, number];
      await manager.query(`UPDATE identity.audit_head SET pruned_seq = $1, pruned_hash = $2`, [last.seq, last.hash]);
      return removed[1];
    });
  }
}
