import { Injectable } from '@nestjs/common';
import { type AdminUserListRequest, type AdminUserView, MAX_PAGE_SIZE, type Page, type UserRolesRequest } from '@keyward/contracts';
import { assertPrincipalEnabled, assertWritable, DomainError, ErrorCode, GLOBAL_DOMAIN, isAdministrator, type Principal } from '@keyward/domain';
import { toRfc3339 } from '@keyward/nest-common';
import { PrincipalEvents } from '../events/principal-events';
import { type AdminUserRow, RolesRepository } from './roles.repository';

export function toAdminUserView(row: AdminUserRow): AdminUserView {
  return {
    username: row.username,
    account: row.account,
    type: row.type,
    staff: row.staff,
    superuser: row.superuser,
    created_at: toRfc3339(row.created_at),
    last_updated: toRfc3339(row.last_updated),
  };
}

/** The admin view of users and their roles: for superusers and admin-account users only. */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly principalEvents: PrincipalEvents,
  ) {}

  private static assertAdministrator(principal: Principal, action: string): void {
    assertPrincipalEnabled(principal);
    assertWritable(principal, action);
    if (!isAdministrator(principal)) {
      throw new DomainError(ErrorCode.Forbidden, `Not authorized. Requires permissions: domain=${GLOBAL_DOMAIN} action=${action} target=*`);
    }
  }

  async list(request: AdminUserListRequest): Promise<Page<AdminUserView>> {
    RolesService.assertAdministrator(request.principal, 'listUsers');
    const rows = await this.roles.list(request, request.page.limit ?? MAX_PAGE_SIZE, request.page.offset ?? 0);
    return { items: rows.map(toAdminUserView), total: Number(rows[0]?.total ?? 0) };
  }

  async setRoles(request: UserRolesRequest): Promise<AdminUserView> {
    RolesService.assertAdministrator(request.principal, 'updateUser');
    if (request.staff === undefined && request.superuser === undefined) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Validation failed: give staff and/or superuser (true or false)');
    }
    const row = await this.roles.setRoles(request.username, request);
    if (!row) {
      throw new DomainError(ErrorCode.UserNotFound, 'User not found');
    }
    await this.principalEvents.changed({ usernames: [row.username] });
    return toAdminUserView(row);
  }
}
