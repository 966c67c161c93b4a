import { IdentitySubjects } from '@keyward/contracts';
import { AccountState, AccountType, DomainError, ErrorCode, type Principal, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { type RpcClient } from '@keyward/nest-common';
import { type DeliveryService } from '../delivery/delivery.service';
import { type PurgedTable, type PurgeRepository } from './purge.repository';
import { PurgeService } from './purge.service';

// Delivery talks to Kubernetes through an ES module Jest cannot load as CommonJS; the purge only
// calls its removeAccountSecrets, mocked below.
jest.mock('../delivery/delivery.service', () => ({ DeliveryService: class DeliveryService {} }));

const ACCOUNT_ID = '00000000-0000-4000-8000-0000000000a1';

/**
 * The service over an in-memory account: `rows` per table, deleted `batchSize` at a time;
 * `state` is what identity answers for the account (null: identity no longer knows it).
 */
function purgeOver(rows: Record<PurgedTable, number>, state: AccountState | null, options: { batchMs?: number } = {}) {
  const left = { ...rows };
  const order: string[] = [];
  const repository = {
    markPurging: jest.fn(() => {
      order.push('mark');
      return Promise.resolve();
    }),
    deleteBatch: jest.fn(async (table: PurgedTable, _accountId: string, batchSize: number) => {
      order.push(table);
      if (options.batchMs) await new Promise((resolve) => setTimeout(resolve, options.batchMs));
      const deleted = Math.min(batchSize, left[table]);
      left[table] -= deleted;
      return deleted;
    }),
    remaining: jest.fn((_accountId: string, upTo: number) =>
      Promise.resolve({ credentials: Math.min(left.credentials, upTo), projects: Math.min(left.projects, upTo), secrets: Math.min(left.secrets, upTo) }),
    ),
  };
  const asked = jest.fn((subject: string, request: unknown) => {
    expect(subject).toBe(IdentitySubjects.accountState);
    expect(request).toEqual({ principal: SYSTEM_PRINCIPAL, accountId: ACCOUNT_ID });
    return state === null
      ? Promise.reject(new DomainError(ErrorCode.AccountNotFound, 'Account not found'))
      : Promise.resolve({ id: ACCOUNT_ID, name: 'acme', state });
  });
  const removeAccountSecrets = jest.fn(() => {
    order.push('cluster');
    return Promise.resolve(3);
  });
  const service = new PurgeService(
    repository as unknown as PurgeRepository,
    { send: asked } as unknown as RpcClient,
    { removeAccountSecrets } as unknown as DeliveryService,
  );
  return { service, repository, order, left, removeAccountSecrets };
}

const reaper: Principal = SYSTEM_PRINCIPAL;

describe('PurgeService.purge', () => {
  it('marks the account, removes its delivered Secrets, then empties each table in the order of their references', async () => {
    const { service, order, left } = purgeOver({ deliveries: 3, credentials: 5, secrets: 2, projects: 1 }, AccountState.Deleting);
    const reply = await service.purge({ principal: reaper, accountId: ACCOUNT_ID, batchSize: 2 });
    expect(reply).toEqual({ remaining: { credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 3 } });
    expect(left).toEqual({ deliveries: 0, credentials: 0, secrets: 0, projects: 0 });
    // A table is left as soon as a batch comes back short of the batch size.
    expect(order).toEqual(['mark', 'cluster', 'deliveries', 'deliveries', 'credentials', 'credentials', 'credentials', 'secrets', 'secrets', 'projects']);
  });

  it('answers what is left once its time is up, without starting on the secrets while credentials remain', async () => {
    const { service, order } = purgeOver({ deliveries: 0, credentials: 1_000, secrets: 5, projects: 5 }, AccountState.Deleting, { batchMs: 15 });
    const reply = await service.purge({ principal: reaper, accountId: ACCOUNT_ID, batchSize: 10, timeBudgetMs: 40 });
    expect(reply.remaining.credentials).toBeGreaterThan(0);
    expect(reply.remaining).toMatchObject({ secrets: 5, projects: 5 });
    expect(order).not.toContain('secrets');
    // Each batch after the first begins only while time is left: 40 ms of 15 ms batches is a handful, not 100.
    expect(order.filter((step) => step === 'credentials').length).toBeLessThan(10);
  });

  it('is idempotent: a purge of an account already empty deletes nothing and reports zeros', async () => {
    const { service, repository } = purgeOver({ deliveries: 0, credentials: 0, secrets: 0, projects: 0 }, AccountState.Deleting);
    const first = await service.purge({ principal: reaper, accountId: ACCOUNT_ID, batchSize: 100 });
    const again = await service.purge({ principal: reaper, accountId: ACCOUNT_ID, batchSize: 100 });
    expect(again).toEqual(first);
    expect(first.remaining).toEqual({ credentials: 0, projects: 0, secrets: 0, deliveredSecrets: 3 });
    expect(repository.deleteBatch).toHaveBeenCalledTimes(8);
  });

  it('clears the leftovers of an account identity no longer knows', async () => {
    const { service, left } = purgeOver({ deliveries: 0, credentials: 4, secrets: 0, projects: 0 }, null);
    await service.purge({ principal: reaper, accountId: ACCOUNT_ID, batchSize: 10 });
    expect(left.credentials).toBe(0);
  });

  it('never empties a live account: enabled or disabled, nothing is marked or deleted', async () => {
    for (const state of [AccountState.Enabled, AccountState.Disabled]) {
      const { service, repository, removeAccountSecrets } = purgeOver({ deliveries: 1, credentials: 1, secrets: 1, projects: 1 }, state);
      await expect(service.purge({ principal: reaper, accountId: ACCOUNT_ID, batchSize: 10 })).rejects.toMatchObject({
        code: ErrorCode.InvalidStateChange,
        message: `Account acme is ${state}, not deleting: it cannot be purged`,
      });
      expect(repository.markPurging).not.toHaveBeenCalled();
      expect(repository.deleteBatch).not.toHaveBeenCalled();
      expect(removeAccountSecrets).not.toHaveBeenCalled();
    }
  });

  it('is for the system and admin accounts only', async () => {
    const { service, repository } = purgeOver({ deliveries: 1, credentials: 1, secrets: 1, projects: 1 }, AccountState.Deleting);
    const user: Principal = {
      username: 'alice',
      accountId: ACCOUNT_ID,
      accountName: 'acme',
      accountType: AccountType.User,
      accountState: AccountState.Enabled,
    };
    await expect(service.purge({ principal: user, accountId: ACCOUNT_ID, batchSize: 10 })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(repository.markPurging).not.toHaveBeenCalled();
  });
});
