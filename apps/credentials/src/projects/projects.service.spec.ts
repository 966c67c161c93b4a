import { AccountState, AccountType, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { QueryFailedError } from 'typeorm';
import { type AccountWrites } from '../accounts/account-writes';
import { type DeliveryService } from '../delivery/delivery.service';
import { type ProjectEntity } from './project.entity';
import { type ProjectRepository } from './project.repository';
import { ProjectsService } from './projects.service';

// Delivery talks to Kubernetes through an ES module Jest cannot load as CommonJS; it is mocked below.
jest.mock('../delivery/delivery.service', () => ({ DeliveryService: class DeliveryService {} }));

const account = { id: '00000000-0000-4000-8000-0000000000a1', name: 'acme' };
const alice: Principal = { username: 'alice', accountId: account.id, accountName: 'acme', accountType: AccountType.User, accountState: AccountState.Enabled };

function projectRow(name: string, overrides: Partial<ProjectEntity> = {}): ProjectEntity {
  return {
    id: `p-${name}`,
    accountId: account.id,
    name,
    namespace: `keyward-${name}`,
    description: null,
    createdBy: 'alice',
    createdAt: new Date('2026-12-01T10:00:00Z'),
    updatedAt: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  } as ProjectEntity;
}

function uniqueViolation(constraint: string): QueryFailedError {
  return new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key value'), { code: '23505', constraint }));
}

/** The service over mocked collaborators: `existing` projects by name, `credentialsUsing` per project id. */
function serviceOver(options: { existing?: ProjectEntity[]; insertFails?: unknown; credentialsUsing?: number; disabled?: boolean } = {}) {
  const byName = new Map((options.existing ?? []).map((project) => [project.name, project]));
  const calls = {
    insert: jest.fn((row: Partial<ProjectEntity>, _manager: unknown) =>
      options.insertFails ? Promise.reject(options.insertFails) : Promise.resolve(projectRow(row.name ?? '', row)),
    ),
    remove: jest.fn((_id: string, _manager: unknown) => Promise.resolve()),
    assertEnabled: jest.fn(() =>
      options.disabled
        ? Promise.reject(new DomainError(ErrorCode.AccountNotEnabled, 'Account acme is disabled: nothing can be changed in it'))
        : Promise.resolve(),
    ),
  };
  const manager = {};
  const repository = {
    insert: calls.insert,
    findByName: (_accountId: string, name: string) => Promise.resolve(byName.get(name) ?? null),
    countCredentials: () => Promise.resolve(options.credentialsUsing ?? 0),
    delete: calls.remove,
    transaction: (work: (m: unknown) => Promise<unknown>) => work(manager),
  } as unknown as ProjectRepository;
  const writes = {
    assertEnabled: calls.assertEnabled,
    inserting: async (_principal: Principal, _account: unknown, insert: (m: unknown) => Promise<unknown>) => {
      await calls.assertEnabled();
      return insert(manager);
    },
  } as unknown as AccountWrites;
  const service = new ProjectsService(repository, writes, { statusOfProject: () => Promise.resolve(null) } as unknown as DeliveryService);
  return { service, calls };
}

describe('ProjectsService.create', () => {
  it('gives a project the namespace keyward-<name> unless it names one', async () => {
    const { service, calls } = serviceOver();
    expect((await service.create({ principal: alice, account, name: 'ml' })).namespace).toBe('keyward-ml');
    expect((await service.create({ principal: alice, account, name: 'web', namespace: 'team-web' })).namespace).toBe('team-web');
    expect(calls.insert).toHaveBeenCalledWith(expect.objectContaining({ accountId: account.id, name: 'ml', createdBy: 'alice' }), expect.anything());
  });

  it('refuses a name or namespace Kubernetes would not take, naming the field', async () => {
    const { service, calls } = serviceOver();
    await expect(service.create({ principal: alice, account, name: 'ML_team' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: expect.stringMatching(/^Invalid field name: must be a Kubernetes name/) as string,
    });
    await expect(service.create({ principal: alice, account, name: 'ml', namespace: '-bad-' })).rejects.toMatchObject({
      message: expect.stringMatching(/^Invalid field namespace: /) as string,
    });
    expect(calls.insert).not.toHaveBeenCalled();
  });

  it('says a name is taken in the account, and a namespace taken anywhere without naming whose it is', async () => {
    const taken = serviceOver({ insertFails: uniqueViolation('projects_account_name_unique') });
    await expect(taken.service.create({ principal: alice, account, name: 'ml' })).rejects.toMatchObject({
      code: ErrorCode.ProjectAlreadyExists,
      message: 'Project ml already exists',
    });
    const elsewhere = serviceOver({ insertFails: uniqueViolation('projects_namespace_unique') });
    await expect(elsewhere.service.create({ principal: alice, account, name: 'ml' })).rejects.toMatchObject({
      code: ErrorCode.ProjectAlreadyExists,
      message: 'Namespace keyward-ml already belongs to another project (the default for this name): give the project a namespace of its own',
    });
    await expect(elsewhere.service.create({ principal: alice, account, name: 'ml', namespace: 'shared' })).rejects.toMatchObject({
      message: 'Namespace shared already belongs to another project',
    });
  });

  it('writes nothing into a disabled account', async () => {
    const { service, calls } = serviceOver({ disabled: true });
    await expect(service.create({ principal: alice, account, name: 'ml' })).rejects.toMatchObject({ code: ErrorCode.AccountNotEnabled });
    expect(calls.insert).not.toHaveBeenCalled();
  });

  it('refuses a user of another account before anything is written', async () => {
    const { service, calls } = serviceOver();
    await expect(service.create({ principal: { ...alice, accountId: 'other', accountName: 'other' }, account, name: 'ml' })).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(calls.assertEnabled).not.toHaveBeenCalled();
  });
});

describe('ProjectsService.delete', () => {
  it('deletes a project no credential uses', async () => {
    const { service, calls } = serviceOver({ existing: [projectRow('ml')] });
    await service.delete({ principal: alice, account, project: 'ml' });
    expect(calls.remove).toHaveBeenCalledWith('p-ml', expect.anything());
  });

  it('keeps a project credentials still use, saying how many', async () => {
    const { service, calls } = serviceOver({ existing: [projectRow('ml')], credentialsUsing: 2 });
    await expect(service.delete({ principal: alice, account, project: 'ml' })).rejects.toMatchObject({
      code: ErrorCode.ProjectInUse,
      message: 'Project ml still has 2 credential(s): delete them first',
    });
    expect(calls.remove).not.toHaveBeenCalled();
  });

  it('answers not found for a project the account does not have', async () => {
    const { service } = serviceOver();
    await expect(service.delete({ principal: alice, account, project: 'ghost' })).rejects.toMatchObject({
      code: ErrorCode.ProjectNotFound,
      message: 'Project ghost not found',
    });
  });
});
