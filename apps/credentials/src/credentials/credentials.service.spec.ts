import { AccountState, AccountType, CredentialScope, DomainError, ErrorCode, PROJECT_LABEL, type Principal, StoredCredentialType } from '@keyward/domain';
import { type CredentialCreateRequest } from '@keyward/contracts';
import { type KeyRing } from '@keyward/nest-common';
import { QueryFailedError } from 'typeorm';
import { type AccountWrites } from '../accounts/account-writes';
import { type DeliveryService } from '../delivery/delivery.service';
import { type ProjectsService } from '../projects/projects.service';
import { type SecretRepository } from '../secrets/secret.repository';
import { type SecretsService } from '../secrets/secrets.service';
import { type CredentialRepository, type CredentialRow } from './credential.repository';
import { CredentialsService } from './credentials.service';

// Delivery talks to Kubernetes through an ES module Jest cannot load as CommonJS; none of the
// methods tested here reaches it.
jest.mock('../delivery/delivery.service', () => ({ DeliveryService: class DeliveryService {} }));

const account = { id: '00000000-0000-4000-8000-0000000000a1', name: 'acme' };
const principal: Principal = {
  username: 'someone',
  accountId: account.id,
  accountName: account.name,
  accountType: AccountType.User,
  accountState: AccountState.Enabled,
};

const id = '00000000-0000-4000-8000-0000000000c3';

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

const staffOfOps: Principal = { ...principal, username: 'auditor', accountId: '00000000-0000-4000-8000-0000000000b2', accountName: 'ops', staff: true };

const ml = { id: '00000000-0000-4000-8000-0000000000d4', accountId: account.id, name: 'ml', namespace: 'keyward-ml' };

function storedRow(overrides: Partial<CredentialRow> = {}): CredentialRow {
  return {
    id,
    accountId: account.id,
    name: 'db-login',
    description: null,
    type: 'password',
    scope: 'project',
    projectId: ml.id,
    publicValues: { username: 'app' },
    valuesSealed: 'v1.k1.old',
    existingSecretId: null,
    createdBy: 'someone',
    createdAt: new Date(0),
    updatedAt: new Date(0),
    projectName: 'ml',
    secretRef: null,
    ...overrides,
  } as CredentialRow;
}

function uniqueViolation(constraint: string): QueryFailedError {
  return new QueryFailedError('UPDATE', [], Object.assign(new Error('duplicate key'), { code: '23505', constraint }));
}

/** The service over one stored credential; every collaborator a mock that records what it was asked. */
function serviceOver(row: CredentialRow | null, options: { accountState?: AccountState; secret?: object | null } = {}) {
  let current = row;
  const calls = {
    findById: jest.fn((_accountId: string, wanted: string) => Promise.resolve(current && wanted === current.id ? { ...current } : null)),
    updateDetails: jest.fn((_accountId: string, _id: string, changes: Partial<CredentialRow>) => {
      current = current && { ...current, ...changes, updatedAt: new Date(1000) };
      return Promise.resolve();
    }),
    delete: jest.fn((_accountId: string, wanted: string) => Promise.resolve(current !== null && wanted === current.id)),
    list: jest.fn((_accountId: string, _filter: object, _page: object) => Promise.resolve({ rows: current ? [current] : [], total: current ? 1 : 0 })),
    seal: jest.fn((plain: string, context: string) => `v1.k2.${Buffer.from(`${context}|${plain}`).toString('base64')}`),
    assertEnabled: jest.fn(() =>
      options.accountState && options.accountState !== AccountState.Enabled
        ? Promise.reject(new DomainError(ErrorCode.AccountNotEnabled, `Account ${account.name} is ${options.accountState}`))
        : Promise.resolve(),
    ),
    findProject: jest.fn((_accountId: string, name: string) =>
      name === ml.name ? Promise.resolve(ml) : Promise.reject(new DomainError(ErrorCode.ProjectNotFound, `Project ${name} not found`)),
    ),
    findSecret: jest.fn((_id: string) => Promise.resolve(options.secret ?? null)),
  };
  const service = new CredentialsService(
    { findById: calls.findById, updateDetails: calls.updateDetails, delete: calls.delete, list: calls.list } as unknown as CredentialRepository,
    { find: calls.findProject } as unknown as ProjectsService,
    { findById: calls.findSecret } as unknown as SecretRepository,
    {} as SecretsService,
    { seal: calls.seal } as unknown as KeyRing,
    { assertEnabled: calls.assertEnabled } as unknown as AccountWrites,
    {} as DeliveryService,
  );
  return { service, calls, stored: () => current };
}

describe('CredentialsService.update', () => {
  it('rotates the values: every field checked, sealed anew bound to this credential, only the public ones kept in clear', async () => {
    const { service, calls } = serviceOver(storedRow());
    const view = await service.update({ principal, account, id, values: { username: 'app2', password: 'n3w-secret' } });
    expect(calls.seal).toHaveBeenCalledWith(JSON.stringify({ username: 'app2', password: 'n3w-secret' }), `credential:${id}`);
    const changes = calls.updateDetails.mock.calls[0][2];
    expect(changes.publicValues).toEqual({ username: 'app2' });
    expect(changes.valuesSealed).toMatch(/^v1\.k2\./);
    expect(view.values).toEqual({ username: 'app2', password: '********' });
    expect(view.keyId).toBe('k2');
    expect(JSON.stringify(view)).not.toContain('n3w-secret');
  });

  it('refuses values missing a field of the type, and stores nothing', async () => {
    const { service, calls } = serviceOver(storedRow());
    await expect(service.update({ principal, account, id, values: { username: 'app2' } })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: 'Invalid field values.password: is required for password: a non-empty string',
    });
    expect(calls.seal).not.toHaveBeenCalled();
    expect(calls.updateDetails).not.toHaveBeenCalled();
  });

  it('refuses values for a credential that uses an existing secret: that secret is what rotates', async () => {
    const { service, calls } = serviceOver(
      storedRow({ valuesSealed: null, publicValues: null, existingSecretId: '00000000-0000-4000-8000-0000000000e5', secretRef: 'keyward-ml/registry' }),
    );
    await expect(service.update({ principal, account, id, values: { username: 'x', password: 'y' } })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: 'Invalid field values: credential db-login uses the existing secret keyward-ml/registry: rotate that secret instead',
    });
    expect(calls.updateDetails).not.toHaveBeenCalled();
  });

  it('checks the account may be written before it reads the credential', async () => {
    const { service, calls } = serviceOver(storedRow(), { accountState: AccountState.Disabled });
    await expect(service.update({ principal, account, id, description: 'new' })).rejects.toMatchObject({ code: ErrorCode.AccountNotEnabled });
    expect(calls.findById).not.toHaveBeenCalled();
    expect(calls.updateDetails).not.toHaveBeenCalled();
  });

  it('lets staff of another account read but not change a credential', async () => {
    const { service, calls } = serviceOver(storedRow());
    await expect(service.update({ principal: staffOfOps, account, id, description: 'new' })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(calls.assertEnabled).not.toHaveBeenCalled();
    expect(calls.updateDetails).not.toHaveBeenCalled();
  });

  it('refuses a name that is not a Kubernetes name, naming the rule', async () => {
    const { service, calls } = serviceOver(storedRow());
    await expect(service.update({ principal, account, id, name: 'Not A Name' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: expect.stringMatching(/^Invalid field name: is required: 1 to 253 lowercase letters/) as unknown,
    });
    expect(calls.updateDetails).not.toHaveBeenCalled();
  });

  it('moves a credential to scope all, leaving its values alone', async () => {
    const { service, calls, stored } = serviceOver(storedRow());
    await service.update({ principal, account, id, scope: 'all' });
    expect(calls.updateDetails.mock.calls[0][2]).toEqual({ name: 'db-login', description: null, scope: 'all', projectId: null });
    expect(stored()?.valuesSealed).toBe('v1.k1.old');
    expect(calls.seal).not.toHaveBeenCalled();
  });

  it('keeps the project it has when only the scope project is asked, and refuses a project with scope all', async () => {
    const { service, calls } = serviceOver(storedRow({ scope: CredentialScope.All, projectId: null, projectName: null }));
    await expect(service.update({ principal, account, id, scope: 'project' })).rejects.toMatchObject({
      message: 'Invalid field project: is required when scope is project',
    });
    await expect(service.update({ principal, account, id, scope: 'all', project: 'ml' })).rejects.toMatchObject({
      message: 'Invalid field project: must be left out when scope is all',
    });
    await expect(service.update({ principal, account, id, scope: 'everywhere' })).rejects.toMatchObject({
      message: 'Invalid field scope: must be one of project, all',
    });
    expect(calls.updateDetails).not.toHaveBeenCalled();
  });

  it('answers a project the account lacks on the field project, and lets a database failure through as it is', async () => {
    const { service, calls } = serviceOver(storedRow({ scope: CredentialScope.All, projectId: null, projectName: null }));
    await expect(service.update({ principal, account, id, scope: 'project', project: 'nope' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: 'Invalid field project: no project named nope in account acme',
    });
    const outage = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    calls.findProject.mockImplementationOnce(() => Promise.reject(outage));
    await expect(service.update({ principal, account, id, scope: 'project', project: 'ml' })).rejects.toBe(outage);
    expect(calls.updateDetails).not.toHaveBeenCalled();
  });

  it('does not move a credential with an existing secret where that secret is not available', async () => {
    const projectSecret = { id: 'e5', namespace: 'keyward-ml', name: 'registry', labels: { [PROJECT_LABEL]: 'true' } };
    const { service, calls } = serviceOver(
      storedRow({
        valuesSealed: null,
        publicValues: null,
        existingSecretId: 'e5',
        secretRef: 'keyward-ml/registry',
        type: StoredCredentialType.KubernetesSecret,
      }),
      { secret: projectSecret },
    );
    await expect(service.update({ principal, account, id, scope: 'all' })).rejects.toMatchObject({
      code: ErrorCode.SecretNotAvailable,
      message: 'Secret keyward-ml/registry is not available to all projects: the credential cannot move there',
    });
    expect(calls.updateDetails).not.toHaveBeenCalled();
    await service.update({ principal, account, id, scope: 'project', project: 'ml' });
    expect(calls.updateDetails).toHaveBeenCalledTimes(1);
  });

  it('answers a name taken in the scope as CREDENTIAL_ALREADY_EXISTS, and any other write failure as it is', async () => {
    const { service, calls } = serviceOver(storedRow());
    calls.updateDetails.mockImplementationOnce(() => Promise.reject(uniqueViolation('credentials_project_name_unique')));
    await expect(service.update({ principal, account, id, name: 'taken' })).rejects.toMatchObject({
      code: ErrorCode.CredentialAlreadyExists,
      message: 'A credential named taken already exists in its scope',
    });
    const other = uniqueViolation('some_other_constraint');
    calls.updateDetails.mockImplementationOnce(() => Promise.reject(other));
    await expect(service.update({ principal, account, id, name: 'taken' })).rejects.toBe(other);
  });

  it('answers not found for an unknown credential or an id that is no UUID', async () => {
    const { service, calls } = serviceOver(storedRow());
    await expect(service.update({ principal, account, id: '00000000-0000-4000-8000-000000000000', description: 'x' })).rejects.toMatchObject({
      code: ErrorCode.CredentialNotFound,
    });
    await expect(service.update({ principal, account, id: 'db-login', description: 'x' })).rejects.toMatchObject({ code: ErrorCode.CredentialNotFound });
    expect(calls.findById).toHaveBeenCalledTimes(1);
  });
});

describe('CredentialsService.delete', () => {
  it('deletes the account’s credential and answers an empty object', async () => {
    const { service, calls } = serviceOver(storedRow());
    expect(await service.delete({ principal, account, id })).toEqual({});
    expect(calls.delete).toHaveBeenCalledWith(account.id, id);
  });

  it('answers not found for a credential the account does not have, and for an id that is no UUID without asking', async () => {
    const { service, calls } = serviceOver(storedRow());
    await expect(service.delete({ principal, account, id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: ErrorCode.CredentialNotFound,
      message: 'Credential 00000000-0000-4000-8000-000000000000 not found',
    });
    await expect(service.delete({ principal, account, id: "x' OR 1=1" })).rejects.toMatchObject({ code: ErrorCode.CredentialNotFound });
    expect(calls.delete).toHaveBeenCalledTimes(1);
  });

  it('refuses staff of another account and a disabled account before anything is deleted', async () => {
    const forStaff = serviceOver(storedRow());
    await expect(forStaff.service.delete({ principal: staffOfOps, account, id })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(forStaff.calls.delete).not.toHaveBeenCalled();
    const disabled = serviceOver(storedRow(), { accountState: AccountState.Disabled });
    await expect(disabled.service.delete({ principal, account, id })).rejects.toMatchObject({ code: ErrorCode.AccountNotEnabled });
    expect(disabled.calls.delete).not.toHaveBeenCalled();
  });
});

describe('CredentialsService.list', () => {
  it('filters by the project’s id, not its name, and passes the page as rows to take and skip', async () => {
    const { service, calls } = serviceOver(storedRow());
    const page = await service.list({ principal, account, project: 'ml', type: 'password' as never, page: { limit: 10, offset: 20 } });
    expect(calls.list).toHaveBeenCalledWith(account.id, { type: 'password', scope: undefined, projectId: ml.id }, { take: 10, skip: 20, after: undefined });
    expect(page.items.map((item) => item.id)).toEqual([id]);
    expect(page.items[0].values).toEqual({ username: 'app', password: '********' });
  });

  it('starts after the cursor instead of an offset, and takes 100 rows when no limit is given', async () => {
    const { service, calls } = serviceOver(storedRow());
    await service.list({ principal, account, page: { offset: 50, after: 'cursor-1' } });
    expect(calls.list.mock.calls[0][2]).toEqual({ take: 100, skip: 0, after: 'cursor-1' });
  });

  it('lets staff of another account read the list, and answers an unknown project as not found', async () => {
    const { service, calls } = serviceOver(storedRow());
    await expect(service.list({ principal: staffOfOps, account, page: {} })).resolves.toMatchObject({ total: 1 });
    await expect(service.list({ principal, account, project: 'nope', page: {} })).rejects.toMatchObject({ code: ErrorCode.ProjectNotFound });
    expect(calls.list).toHaveBeenCalledTimes(1);
  });

  it('refuses a user of another account who is not staff', async () => {
    const { service, calls } = serviceOver(storedRow());
    await expect(service.list({ principal: { ...staffOfOps, staff: false }, account, page: {} })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(calls.list).not.toHaveBeenCalled();
  });
});
