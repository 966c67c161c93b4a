import { AccountState, AccountType, ErrorCode, type Principal } from '@keyward/domain';
import { type KeyRing } from '@keyward/nest-common';
import { QueryFailedError } from 'typeorm';
import { type AccountWrites } from '../accounts/account-writes';
import { type ProjectsService } from '../projects/projects.service';
import { type SecretEntity } from './secret.entity';
import { type SecretRepository } from './secret.repository';
import { SecretsService } from './secrets.service';

// Projects bring delivery, which talks to Kubernetes through an ES module Jest cannot load as CommonJS.
jest.mock('../delivery/delivery.service', () => ({ DeliveryService: class DeliveryService {} }));

const account = { id: '00000000-0000-4000-8000-0000000000a1', name: 'acme' };
const alice: Principal = { username: 'alice', accountId: account.id, accountName: 'acme', accountType: AccountType.User, accountState: AccountState.Enabled };

/** The service over mocked collaborators; `sealed` records what the key ring sealed and under which context. */
function serviceOver(options: { insertFails?: unknown; deleteFails?: unknown; existing?: boolean } = {}) {
  const sealed: Array<{ plain: string; context: string }> = [];
  const calls = {
    insert: jest.fn((record: Omit<SecretEntity, 'createdAt'>, _manager: unknown) =>
      options.insertFails ? Promise.reject(options.insertFails) : Promise.resolve({ ...record, createdAt: new Date('2026-12-01T10:00:00Z') } as SecretEntity),
    ),
    remove: jest.fn((_id: string, _manager: unknown) => (options.deleteFails ? Promise.reject(options.deleteFails) : Promise.resolve())),
  };
  const repository = {
    insert: calls.insert,
    findByName: () => Promise.resolve(options.existing === false ? null : ({ id: 's1' } as SecretEntity)),
    delete: calls.remove,
    transaction: (work: (m: unknown) => Promise<unknown>) => work({}),
  } as unknown as SecretRepository;
  const keyRing = {
    seal: (plain: string, context: string) => {
      sealed.push({ plain, context });
      return 'v1.k1.sealed';
    },
  } as unknown as KeyRing;
  const writes = {
    assertEnabled: () => Promise.resolve(),
    inserting: (_principal: Principal, _account: unknown, insert: (m: unknown) => Promise<unknown>) => insert({}),
  } as unknown as AccountWrites;
  const service = new SecretsService(repository, {} as ProjectsService, keyRing, writes);
  return { service, calls, sealed };
}

const request = (overrides: Record<string, unknown> = {}) => ({
  principal: alice,
  account,
  namespace: 'keyward',
  name: 'shared-registry',
  labels: { 'keyward.io/cluster-wide-credentials': 'true' },
  data: { token: 't0k3n', user: 'ci' },
  ...overrides,
});

describe('SecretsService.create', () => {
  it('seals the data under the new secret’s own context and answers only its key names', async () => {
    const { service, sealed, calls } = serviceOver();
    const view = await service.create(request());
    const id = calls.insert.mock.calls[0]?.[0].id;
    expect(sealed).toEqual([{ plain: JSON.stringify({ token: 't0k3n', user: 'ci' }), context: `secret:${id}` }]);
    expect(view).toEqual({
      namespace: 'keyward',
      name: 'shared-registry',
      type: 'Opaque',
      labels: { 'keyward.io/cluster-wide-credentials': 'true' },
      keys: ['token', 'user'],
      usedBy: null,
      source: 'api',
      createdAt: '2026-12-01T10:00:00Z',
    });
    expect(JSON.stringify(view)).not.toContain('t0k3n');
  });

  it('refuses names Kubernetes would not take and data that is no map of strings, naming the field, before sealing', async () => {
    const { service, sealed } = serviceOver();
    await expect(service.create(request({ namespace: 'Key_Ward' }))).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: 'Invalid field namespace: must be a Kubernetes namespace name',
    });
    await expect(service.create(request({ name: 'UPPER' }))).rejects.toMatchObject({ message: expect.stringMatching(/^Invalid field name: /) as string });
    await expect(service.create(request({ data: undefined }))).rejects.toMatchObject({ message: expect.stringMatching(/^Invalid field data: /) as string });
    await expect(service.create(request({ data: { token: 5 } }))).rejects.toMatchObject({ message: expect.stringMatching(/^Invalid field data/) as string });
    expect(sealed).toEqual([]);
  });

  it('says which secret exists already', async () => {
    const taken = new QueryFailedError(
      'INSERT',
      [],
      Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'secrets_account_namespace_name_unique' }),
    );
    const { service } = serviceOver({ insertFails: taken });
    await expect(service.create(request())).rejects.toMatchObject({
      code: ErrorCode.SecretAlreadyExists,
      message: 'Secret keyward/shared-registry already exists',
    });
  });
});

describe('SecretsService.delete', () => {
  it('keeps a secret a credential uses, saying what to delete first', async () => {
    const used = new QueryFailedError('DELETE', [], Object.assign(new Error('violates foreign key'), { code: '23503' }));
    const { service } = serviceOver({ deleteFails: used });
    await expect(service.delete({ principal: alice, account, namespace: 'keyward', name: 'shared-registry' })).rejects.toMatchObject({
      code: ErrorCode.SecretInUse,
      message: 'Secret keyward/shared-registry is used by a credential: delete the credential first',
    });
  });

  it('answers not found for a secret the account does not have', async () => {
    const { service, calls } = serviceOver({ existing: false });
    await expect(service.delete({ principal: alice, account, namespace: 'keyward', name: 'ghost' })).rejects.toMatchObject({
      code: ErrorCode.SecretNotFound,
      message: 'Secret keyward/ghost not found',
    });
    expect(calls.remove).not.toHaveBeenCalled();
  });
});
