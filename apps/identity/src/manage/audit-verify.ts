import { type DataSource } from 'typeorm';
import { ChainVerifier } from '../audit/audit-chain';
import { AuditLogRepository } from '../audit/audit-log.repository';

const PAGE = 2000;

const DESCRIBED = {
  missing: (seq: number) => `record ${seq} is missing (deleted)`,
  changed: (seq: number) => `record ${seq} was changed after it was written (its hash does not match)`,
  truncated: (seq: number) => `the records from ${seq} on are missing (deleted at the end of the log)`,
};

/**
 * Recomputes every hash of the audit log, from where retention cut it to the head as it was when
 * the check began (records appended meanwhile are left to the next check).
 */
export async function verifyAuditLog(dataSource: DataSource): Promise<{ intact: boolean; message: string }> {
  const repository = new AuditLogRepository(dataSource);
  const head = await repository.head();
  const verifier = new ChainVerifier({ seq: head.prunedSeq, hash: head.prunedHash });
  let after = head.prunedSeq;
  for (;;) {
    const records = await repository.chainFrom(after, head.seq, PAGE);
    for (const record of records) {
      const problem = verifier.next(record);
      if (problem) return { intact: false, message: `Audit log broken: ${DESCRIBED[problem.problem](problem.seq)}.` };
      after = record.seq;
    }
    if (records.length < PAGE) break;
  }
  const problem = verifier.end(head);
  if (problem) return { intact: false, message: `Audit log broken: ${DESCRIBED[problem.problem](problem.seq)}.` };
  const range = verifier.checked > 0 ? ` (${head.prunedSeq + 1} to ${head.seq})` : '';
  const pruned = head.prunedSeq > 0 ? `; records up to ${head.prunedSeq} were removed by retention` : '';
  return { intact: true, message: `Audit log intact: ${verifier.checked} record(s)${range}${pruned}.` };
}
