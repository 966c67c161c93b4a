import { type AuditRecordInput, type AuditRecordView } from '@keyward/contracts';
import { AccountState, AccountType, ErrorCode, type Principal } from '@keyward/domain';
import { type Logger as PinoLogger } from 'pino';
import { type DataSource } from 'typeorm';
import { type IdentityConfig } from '../config';
import { type AuditLogRepository } from './audit-log.repository';
import { AuditService } from './audit.service';

const admin: Principal = { username: 'admin', accountId: 'a0', accountName: 'admin', accountType: AccountType.Admin, accountState: AccountState.Enabled };
const member: Principal = { username: 'alice', accountId: 'a1', accountName: 'acme', accountType: AccountType.User, accountState: AccountState.Enabled };

function record(n: number): AuditRecordInput {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    at: '2026-12-01T10:00:00Z',
    actor: {},
    action: 'user.create',
    resource: { type: 'user' },
    result: { outcome: 'success' },
  };
}

function stored(input: AuditRecordInput, seq: number): AuditRecordView {
  return { ...input, seq, address: null, requestId: null, before: null, after: null, hash: `h${seq}` } as AuditRecordView;
}

/** The service over a repository that stores what it is given; `transactions` counts the appends' transactions. */
function serviceOver(options: { failAppend?: Error; page?: AuditRecordView[] } = {}) {
  let seq = 0;
  const calls = {
    transactions: 0,
    logged: [] as unknown[],
    list: jest.fn((_filter: unknown) => Promise.resolve({ items: options.page ?? [], total: options.page?.length ?? 0 })),
  };
  const repository = {
    append: jest.fn((_manager: unknown, records: AuditRecordInput[]) =>
      options.failAppend ? Promise.reject(options.failAppend) : Promise.resolve(records.map((input) => stored(input, ++seq))),
    ),
    list: calls.list,
  };
  const dataSource = {
    transaction: (work: (manager: unknown) => Promise<unknown>) => {
      calls.transactions += 1;
      return work({});
    },
  } as unknown as DataSource;
  const root = { info: (fields: unknown) => calls.logged.push(fields) } as unknown as PinoLogger;
  const service = new AuditService(dataSource, repository as unknown as AuditLogRepository, { KEYWARD_AUDIT_RETENTION_DAYS: 0 } as IdentityConfig, root);
  return { service, calls, repository };
}

describe('AuditService.append', () => {
  it('stores the appends that arrive while one is being written in one transaction, answers each with its own count, and logs every record', async () => {
    const { service, calls } = serviceOver();
    const answers = await Promise.all([
      service.append({ records: [record(1)] }),
      service.append({ records: [record(2), record(3)] }),
      service.append({ records: [record(4)] }),
    ]);
    expect(answers).toEqual([{ stored: 1 }, { stored: 2 }, { stored: 1 }]);
    // The first append starts a transaction at once; the two that arrive while it runs share the next.
    expect(calls.transactions).toBe(2);
    expect(calls.logged).toHaveLength(4);
  });

  it('answers an empty append without a transaction', async () => {
    const { service, calls } = serviceOver();
    expect(await service.append({ records: [] })).toEqual({ stored: 0 });
    expect(calls.transactions).toBe(0);
  });

  it('fails every append of a group that could not be stored, so no caller is told its record is kept', async () => {
    const { service, calls } = serviceOver({ failAppend: new Error('could not serialize access') });
    const results = await Promise.allSettled([service.append({ records: [record(1)] }), service.append({ records: [record(2)] })]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(calls.logged).toHaveLength(0);
  });
});

describe('AuditService.list', () => {
  it('is for administrators, superusers and staff only', async () => {
    const { service, calls } = serviceOver();
    await expect(service.list({ principal: member, page: {} })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    await service.list({ principal: { ...member, staff: true }, page: {} });
    await service.list({ principal: admin, page: {} });
    expect(calls.list).toHaveBeenCalledTimes(2);
  });

  it('refuses a cursor that is not one, before reading', async () => {
    const { service, calls } = serviceOver();
    for (const after of ['0', '-1', 'abc', '1 OR 1=1', '9'.repeat(19)]) {
      await expect(service.list({ principal: admin, page: { after } })).rejects.toMatchObject({
        code: ErrorCode.BadRequest,
        message: 'Query parameter after must be the X-Next-Cursor of the page before',
      });
    }
    expect(calls.list).not.toHaveBeenCalled();
  });

  it('names the next page by the last record’s place in the chain while a full page came back', async () => {
    const full = serviceOver({ page: [stored(record(3), 30), stored(record(2), 20)] });
    expect((await full.service.list({ principal: admin, page: { limit: 2 } })).next).toBe('20');
    const short = serviceOver({ page: [stored(record(3), 30)] });
    expect((await short.service.list({ principal: admin, page: { limit: 2 } })).next).toBeNull();
    const first = serviceOver({ page: [stored(record(2), 2), stored(record(1), 1)] });
    expect((await first.service.list({ principal: admin, page: { limit: 2 } })).next).toBeNull();
  });
});
