import { createHash } from 'node:crypto';
import { type AuditRecordInput, type AuditRecordView } from '@keyward/contracts';

/** What a record's hash covers: every field of it, its place in the chain included. */
export type ChainedRecord = Omit<AuditRecordView, 'hash'>;

/** JSON with every object's keys in order, and no undefined fields: the same bytes for the same record, however PostgreSQL's jsonb orders them. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 over the hash of the record before and this record: editing or removing any record breaks every hash after it. */
export function chainHash(previousHash: string, record: ChainedRecord): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalJson(record)).digest('hex');
}

/** A record as it is stored and hashed: the time in one form, absent fields as null. */
export function chained(seq: number, input: AuditRecordInput): ChainedRecord {
  return {
    seq,
    id: input.id,
    at: new Date(input.at).toISOString(),
    actor: input.actor,
    address: input.address ?? null,
    requestId: input.requestId ?? null,
    action: input.action,
    resource: input.resource,
    before: input.before ?? null,
    after: input.after ?? null,
    result: input.result,
  };
}

export type ChainProblem = { seq: number; problem: 'missing' | 'changed' | 'truncated' };

/**
 * Walks records in seq order from the point retention cut the chain (`start`) and reports the
 * first break: a number missing (a record deleted), a hash that does not match (a record edited),
 * or a chain ending before the head says it does (records deleted at the end).
 */
export class ChainVerifier {
  private expectedSeq: number;
  private previousHash: string;
  checked = 0;

  constructor(start: { seq: number; hash: string }) {
    this.expectedSeq = start.seq + 1;
    this.previousHash = start.hash;
  }

  /** Undefined while the chain holds; the first problem otherwise. */
  next(record: AuditRecordView): ChainProblem | undefined {
    if (record.seq !== this.expectedSeq) return { seq: this.expectedSeq, problem: 'missing' };
    const { hash, ...fields } = record;
    const expected = chainHash(this.previousHash, fields);
    if (expected !== hash) return { seq: record.seq, problem: 'changed' };
    this.previousHash = hash;
    this.expectedSeq += 1;
    this.checked += 1;
    return undefined;
  }

  end(head: { seq: number; hash: string }): ChainProblem | undefined {
    if (this.expectedSeq - 1 !== head.seq) return { seq: this.expectedSeq, problem: 'truncated' };
    if (head.seq > 0 && this.previousHash !== head.hash) return { seq: head.seq, problem: 'changed' };
    return undefined;
  }
}
