import { type AuditRecordInput, type AuditRecordView } from '@keyward/contracts';
import { canonicalJson, chained, chainHash, ChainVerifier } from './audit-chain';

const input = (n: number): AuditRecordInput => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  at: '2026-12-04T10:00:00.000Z',
  actor: { username: 'admin', account: 'admin' },
  action: 'account.create',
  resource: { type: 'account', id: `acct${n}` },
  after: { name: `acct${n}`, state: 'enabled' },
  result: { outcome: 'success', status: 200 },
});

function chain(count: number): { records: AuditRecordView[]; head: { seq: number; hash: string } } {
  const records: AuditRecordView[] = [];
  let hash = '';
  for (let seq = 1; seq <= count; seq++) {
    const fields = chained(seq, input(seq));
    hash = chainHash(hash, fields);
    records.push({ ...fields, hash });
  }
  return { records, head: { seq: count, hash } };
}

function verify(records: AuditRecordView[], head: { seq: number; hash: string }, start = { seq: 0, hash: '' }) {
  const verifier = new ChainVerifier(start);
  for (const record of records) {
    const problem = verifier.next(record);
    if (problem) return problem;
  }
  return verifier.end(head);
}

describe('the audit chain', () => {
  it('orders keys, so a record read back from jsonb hashes as it was written', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: null }, skipped: undefined })).toBe('{"a":{"c":null,"d":[1,{"e":1,"f":2}]},"b":1}');
  });

  it('holds for an untouched chain, and for one whose start retention removed', () => {
    const { records, head } = chain(5);
    expect(verify(records, head)).toBeUndefined();
    const kept = records.slice(2);
    expect(verify(kept, head, { seq: 2, hash: records[1]?.hash ?? '' })).toBeUndefined();
  });

  it('finds a deleted record, an edited one, and records removed at the end', () => {
    const { records, head } = chain(5);
    expect(verify([...records.slice(0, 2), ...records.slice(3)], head)).toEqual({ seq: 3, problem: 'missing' });
    const edited = records.map((record) => (record.seq === 4 ? { ...record, after: { name: 'other' } } : record));
    expect(verify(edited, head)).toEqual({ seq: 4, problem: 'changed' });
    expect(verify(records.slice(0, 4), head)).toEqual({ seq: 5, problem: 'truncated' });
    // A record rewritten with a fresh hash still breaks the link to the next one.
    const rehashed = records.map((record) =>
      record.seq === 2
        ? { ...record, actor: { username: 'mallory' }, hash: chainHash(records[0]?.hash ?? '', { ...chained(2, input(2)), actor: { username: 'mallory' } }) }
        : record,
    );
    expect(verify(rehashed, head)).toEqual({ seq: 3, problem: 'changed' });
  });
});
