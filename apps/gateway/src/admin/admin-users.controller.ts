import { BooleanField } from '../api/fields';
import { AdminUserListQuery } from '../api/queries';
import { Body, Controller, Delete, Get, Param, Patch, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type AdminUserView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { TOTAL_COUNT_HEADER } from '../api/request-input';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Audited, type BeforeContext } from '../audit/audited.decorator';

class AdminUserDto {
  @ApiProperty() username: string;
  @ApiProperty() account: string;
  @ApiProperty() type: string;
  @ApiProperty() staff: boolean;
  @ApiProperty() superuser: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) last_updated: string;
}

class RevokedTokensDto {
  @ApiProperty({ description: 'How many live API tokens and sessions were revoked' }) revoked: number;
}

export class UserRolesDto {
  @BooleanField({ required: false }) staff?: boolean;
  @BooleanField({ required: false }) superuser?: boolean;
}

/** The user's roles before a change, for the audit log. */
async function rolesBefore({ rpc, principal, params }: BeforeContext): Promise<AdminUserView | undefined> {
  const username = params['username'] ?? '';
  const page = await rpc.send(IdentitySubjects.userListAll, { principal, usernamePrefix: username, page: { limit: 20 } });
  return page.items.find((user) => user.username === username);
}

/** A flag of AdminUserListQuery, which has checked it is `true`, `false` or empty. */
/** Users across accounts and their roles: for superusers and admin-account users. */
@ApiTags('Admin')
@Controller('v1/admin/users')
export class AdminUsersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOkResponse({ type: [AdminUserDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { account, staff, superuser, username: usernamePrefix, limit, offset }: AdminUserListQuery,
  ): Promise<AdminUserView[]> {
    const page = await this.rpc.send(IdentitySubjects.userListAll, {
      principal,
      account: account || undefined,
      staff,
      superuser,
      usernamePrefix: usernamePrefix || undefined,
      page: { limit, offset },
    });
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Patch(':username')
  @ApiOkResponse({ type: AdminUserDto })
  @Audited({ action: 'user.update-roles', account: () => undefined, before: rolesBefore })
  setRoles(@CurrentPrincipal() principal: Principal, @Param('username') username: string, @Body() body: UserRolesDto): Promise<AdminUserView> {
    const { staff, superuser } = body;
    return this.rpc.send(IdentitySubjects.userSetRoles, { principal, username, staff, superuser });
  }

  @Delete(':username/tokens')
  @ApiOkResponse({ type: RevokedTokensDto, description: 'Every API token and session of the user is revoked, on every replica from the next request on' })
  @Audited({ action: 'token.revoke-all', id: (params) => params['username'], account: () => undefined })
  revokeTokens(@CurrentPrincipal() principal: Principal, @Param('username') username: string): Promise<{ revoked: number }> {
    return this.rpc.send(IdentitySubjects.userTokensRevoke, { principal, username });
  }
}
