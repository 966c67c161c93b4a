import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CredentialDeleteQuery, PageQuery } from '../api/queries';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type CredentialView, IdentitySubjects, type UserView } from '@keyward/contracts';
import { CredentialType, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AccessCredentialDto, UserCreationRequestDto, UserDto } from '../api/dto';
import { TOTAL_COUNT_HEADER } from '../api/request-input';
import { readPages } from '../api/every-page';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { PasswordChanges } from '../current-user/password-changes';
import { Audited } from '../audit/audited.decorator';

@ApiTags('Users')
@Controller('v1/accounts/:account/users')
export class AccountUsersController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly passwords: PasswordChanges,
  ) {}

  @Get()
  @ApiOkResponse({
    type: [UserDto],
    description: 'Every user of the account without `limit`, as in Anchore; a page with `limit`. The total count is in the X-Total-Count header',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('account') account: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { limit, offset }: PageQuery,
  ): Promise<UserView[]> {
    const page = await readPages({ limit, offset }, (query) => this.rpc.send(IdentitySubjects.userList, { principal, account, page: query }));
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  @Audited({
    action: 'user.create',
    id: (_, body) => (typeof body['username'] === 'string' ? body['username'] : undefined),
    account: (params) => params['account'],
  })
  create(@CurrentPrincipal() principal: Principal, @Param('account') account: string, @Body() body: UserCreationRequestDto): Promise<UserView> {
    return this.rpc.send(IdentitySubjects.userCreate, { principal, account, username: body.username, password: body.password });
  }

  @Get(':username')
  @ApiOkResponse({ type: UserDto })
  get(@CurrentPrincipal() principal: Principal, @Param('account') account: string, @Param('username') username: string): Promise<UserView> {
    return this.rpc.send(IdentitySubjects.userGet, { principal, account, username });
  }

  @Delete(':username')
  @HttpCode(204)
  @ApiNoContentResponse()
  @Audited({
    action: 'user.delete',
    account: (params) => params['account'],
    before: ({ rpc, principal, params }) =>
      rpc.send(IdentitySubjects.userGet, { principal, account: params['account'] ?? '', username: params['username'] ?? '' }),
  })
  async delete(@CurrentPrincipal() principal: Principal, @Param('account') account: string, @Param('username') username: string): Promise<void> {
    await this.rpc.send(IdentitySubjects.userDelete, { principal, account, username });
  }

  @Get(':username/credentials')
  @ApiOkResponse({ type: [AccessCredentialDto] })
  listCredentials(@CurrentPrincipal() principal: Principal, @Param('account') account: string, @Param('username') username: string): Promise<CredentialView[]> {
    return this.rpc.send(IdentitySubjects.credentialList, { principal, account, username });
  }

  @Post(':username/credentials')
  @HttpCode(200)
  @ApiOkResponse({ type: AccessCredentialDto })
  @Audited({ action: 'password.set', id: (params) => params['username'], account: (params) => params['account'] })
  setCredential(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Param('account') account: string,
    @Param('username') username: string,
    @Body() body: AccessCredentialDto,
  ): Promise<CredentialView> {
    return this.passwords.set(principal, request.ip, account, username, body);
  }

  @Delete(':username/credentials')
  @HttpCode(204)
  @ApiNoContentResponse()
  @Audited({ action: 'password.delete', id: (params) => params['username'], account: (params) => params['account'] })
  async deleteCredential(
    @CurrentPrincipal() principal: Principal,
    @Param('account') account: string,
    @Param('username') username: string,
    @Query() { credential_type: credentialType }: CredentialDeleteQuery,
  ): Promise<void> {
    if (!credentialType) {
      throw new DomainError(ErrorCode.BadRequest, 'credential type must be specified');
    }
    if (credentialType !== CredentialType.Password) {
      throw new DomainError(ErrorCode.InvalidCredentialType, 'Invalid credential type');
    }
    await this.rpc.send(IdentitySubjects.credentialDelete, { principal, account, username, type: credentialType });
  }
}
