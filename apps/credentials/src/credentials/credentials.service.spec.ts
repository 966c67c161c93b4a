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

describe('CredentialsService.export', () => {
  const id = '00000000-0000-4000-8000-0000000000c3';
  const row = {
    id,
    accountId: account.id,
    name: 'db-login',
    description: null,
    type: 'password',
    scope: 'all',
    projectId: null,
    publicValues: { username: 'app' },
    valuesSealed: 'v1.k1.sealed',
    existingSecretId: null,
    createdBy: 'someone',
    createdAt: new Date(0),
    updatedAt: new Date(0),
    projectName: null,
    secretRef: null,
  };

  /** The service over one stored credential; `open` is the key ring's, `audit` records each export. */
  function exporter() {
    const open = jest.fn((_sealed: string, _context: string) => JSON.stringify({ username: 'app', password: 'p@ss-123' }));
    const audit = jest.fn((_entry: unknown) => Promise.resolve());
    const findById = jest.fn((_accountId: string, wanted: string) => Promise.resolve(wanted === id ? row : null));
    const none = {} as never;
    const service = new CredentialsService(
      { findById, audit } as unknown as CredentialRepository,
      none as ProjectsService,
      none as SecretRepository,
      none as SecretsService,
      { open } as unknown as KeyRing,
      none as AccountWrites,
      none as DeliveryService,
    );
    return { service, open, audit, findById };
  }

  it('opens the values bound to this credential, renders them, and records who exported them in which format', async () => {
    const { service, open, audit } = exporter();
    const exported = await service.export({ principal, account, id, format: 'env', address: '10.0.0.7' });
    expect(exported).toEqual({ format: 'env', contentType: 'text/plain', content: "USERNAME='app'\nPASSWORD='p@ss-123'\n" });
    expect(open).toHaveBeenCalledWith('v1.k1.sealed', `credential:${id}`);
    expect(audit).toHaveBeenCalledWith({
      accountId: account.id,
      credentialId: id,
      credentialName: 'db-login',
      actor: 'someone',
      actorAccount: 'acme',
      format: 'env',
      address: '10.0.0.7',
    });
  });

  it('refuses an unknown format, naming the formats, before any value is opened', async () => {
    const { service, open, findById } = exporter();
    await expect(service.export({ principal, account, id, format: 'pem', address: '10.0.0.7' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: 'Invalid field format: must be one of dockerconfigjson, kubernetes-secret, env',
    });
    expect(findById).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
  });

  it('never lets staff of another account export: an export is not a read', async () => {
    const { service, open, audit } = exporter();
    const staff: Principal = {
      username: 'auditor',
      accountId: 'a9',
      accountName: 'ops',
      accountType: AccountType.User,
      accountState: AccountState.Enabled,
      staff: true,
    };
    await expect(service.export({ principal: staff, account, id, format: 'env', address: '10.0.0.7' })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(open).not.toHaveBeenCalled();
    expect(audit).not.toHaveBeenCalled();
  });

  it('answers not found for an id that is no UUID without asking the database', async () => {
    const { service, findById } = exporter();
    await expect(service.export({ principal, account, id: "1' OR '1'='1", format: 'env', address: '10.0.0.7' })).rejects.toMatchObject({
      code: ErrorCode.CredentialNotFound,
    });
    expect(findById).not.toHaveBeenCalled();
  });
});
