import { AccountState, AccountType, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { type CredentialCreateRequest } from '@keyward/contracts';
import { type KeyRing } from '@keyward/nest-common';
import { type AccountWrites } from '../accounts/account-writes';
import { type DeliveryService } from '../delivery/delivery.service';
import { type ProjectsService } from '../projects/projects.service';
import { type SecretRepository } from '../secrets/secret.repository';
import { type SecretsService } from '../secrets/secrets.service';
import { type CredentialRepository } from './credential.repository';
import { CredentialsService } from './credentials.service';

// Delivery talks to Kubernetes through an ES module Jest cannot load as CommonJS; create never
// reaches it before the checks these tests are about.
jest.mock('../delivery/delivery.service', () => ({ DeliveryService: class DeliveryService {} }));

const account = { id: '00000000-0000-4000-8000-0000000000a1', name: 'acme' };
const principal: Principal = {
  username: 'someone',
  accountId: account.id,
  accountName: account.name,
  accountType: AccountType.User,
  accountState: AccountState.Enabled,
};

/** The service with every collaborator a mock: only `projects.find` is asked anything here. */
function serviceWith(find: ProjectsService['find']): { service: CredentialsService; stored: jest.Mock } {
  const stored = jest.fn();
  const none = {} as never;
  const service = new CredentialsService(
    { insert: stored } as unknown as CredentialRepository,
    { find } as unknown as ProjectsService,
    none as SecretRepository,
    none as SecretsService,
    none as KeyRing,
    none as AccountWrites,
    none as DeliveryService,
  );
  return { service, stored };
}

const request = (overrides: Partial<CredentialCreateRequest> = {}): CredentialCreateRequest =>
  ({
    principal,
    account,
    name: 'registry',
    type: 'password',
    scope: 'project',
    project: 'ml',
    values: { username: 'u', password: 'p-123456' },
    ...overrides,
  }) as CredentialCreateRequest;

async function failureOf(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('CredentialsService.create: the scope', () => {
  it('refuses a project the account does not have as the request’s fault, on the field project', async () => {
    const { service, stored } = serviceWith(() => Promise.reject(new DomainError(ErrorCode.ProjectNotFound, 'Project ml not found')));
    const error = await failureOf(service.create(request()));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((error as DomainError).message).toBe('Invalid field project: no project named ml in account acme');
    expect(stored).not.toHaveBeenCalled();
  });

  it('keeps any other failure as it is: a database outage is not a bad request', async () => {
    const outage = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const { service, stored } = serviceWith(() => Promise.reject(outage));
    expect(await failureOf(service.create(request()))).toBe(outage);
    expect(stored).not.toHaveBeenCalled();
  });

  it('asks for a project only when the scope is a project, and refuses one named with scope all', async () => {
    const find = jest.fn();
    const { service } = serviceWith(find);
    const missing = (await failureOf(service.create(request({ project: undefined })))) as DomainError;
    expect(missing.message).toBe('Invalid field project: is required when scope is project');
    const extra = (await failureOf(service.create(request({ scope: 'all' })))) as DomainError;
    expect(extra.message).toBe('Invalid field project: must be left out when scope is all');
    expect(find).not.toHaveBeenCalled();
  });

  it('refuses a principal of another account before reading anything', async () => {
    const find = jest.fn();
    const { service } = serviceWith(find);
    const error = (await failureOf(service.create(request({ account: { id: '00000000-0000-4000-8000-0000000000b2', name: 'other' } })))) as DomainError;
    expect(error.code).toBe(ErrorCode.Forbidden);
    expect(find).not.toHaveBeenCalled();
  });
});
