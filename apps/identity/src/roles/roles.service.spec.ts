import { AccountState, AccountType, ErrorCode, type Principal, UserType } from '@keyward/domain';
import { type PrincipalEvents } from '../events/principal-events';
import { type AdminUserRow, type RolesRepository } from './roles.repository';
import { RolesService } from './roles.service';

const admin: Principal = { username: 'admin', accountId: 'a0', accountName: 'admin', accountType: AccountType.Admin, accountState: AccountState.Enabled };
const member: Principal = { username: 'alice', accountId: 'a1', accountName: 'acme', accountType: AccountType.User, accountState: AccountState.Enabled };

function row(username: string, roles: { staff?: boolean; superuser?: boolean } = {}): AdminUserRow {
  const at = new Date('2026-12-01T10:00:00Z');
  return {
    username,
    account: 'acme',
    type: UserType.Native,
    staff: roles.staff ?? false,
    superuser: roles.superuser ?? false,
    created_at: at,
    last_updated: at,
  };
}

function serviceOver(found: AdminUserRow | null) {
  const setRoles = jest.fn((_username: string, roles: { staff?: boolean; superuser?: boolean }) =>
    Promise.resolve(found ? { ...found, staff: roles.staff ?? found.staff, superuser: roles.superuser ?? found.superuser } : null),
  );
  const changed = jest.fn((_event: unknown) => Promise.resolve());
  const service = new RolesService({ setRoles } as unknown as RolesRepository, { changed } as unknown as PrincipalEvents);
  return { service, setRoles, changed };
}

describe('RolesService.setRoles', () => {
  it('changes the flags given, and drops the user’s cached principal on every gateway so the new roles count at once', async () => {
    const { service, changed } = serviceOver(row('bob'));
    expect(await service.setRoles({ principal: admin, username: 'bob', staff: true })).toMatchObject({ username: 'bob', staff: true, superuser: false });
    expect(changed).toHaveBeenCalledWith({ usernames: ['bob'] });
  });

  it('lets superusers of ordinary accounts do it, but not staff or other users', async () => {
    const { service, setRoles } = serviceOver(row('bob'));
    await service.setRoles({ principal: { ...member, superuser: true }, username: 'bob', superuser: true });
    expect(setRoles).toHaveBeenCalledTimes(1);
    for (const principal of [member, { ...member, staff: true }]) {
      await expect(service.setRoles({ principal, username: 'bob', superuser: true })).rejects.toMatchObject({
        code: ErrorCode.Forbidden,
        message: 'Not authorized. Requires permissions: domain=system action=updateUser target=*',
      });
    }
    expect(setRoles).toHaveBeenCalledTimes(1);
  });

  it('refuses a read-only token of an administrator', async () => {
    const { service, setRoles } = serviceOver(row('bob'));
    await expect(service.setRoles({ principal: { ...admin, readOnly: true }, username: 'bob', staff: true })).rejects.toMatchObject({
      code: ErrorCode.ReadOnlyToken,
    });
    expect(setRoles).not.toHaveBeenCalled();
  });

  it('says what to give when nothing is, and answers not found for a user it cannot see', async () => {
    const { service } = serviceOver(null);
    await expect(service.setRoles({ principal: admin, username: 'bob' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: 'Validation failed: give staff and/or superuser (true or false)',
    });
    await expect(service.setRoles({ principal: admin, username: 'ghost', staff: false })).rejects.toMatchObject({ code: ErrorCode.UserNotFound });
  });
});
