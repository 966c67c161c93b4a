import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type AccountView, type CredentialView, IdentitySubjects, type UserView } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { AccessCredentialDto, AccountDto, UserDto } from '../api/dto';
import { type FastifyRequest } from 'fastify';
import { ActingAccount, CurrentPrincipal } from '../auth/principal.decorator';
import { PasswordChanges } from './password-changes';
import { Audited } from '../audit/audited.decorator';

/** The caller's own account and user: what `anchore-cli account whoami` reads. */
@ApiTags('Current user')
@Controller('v1')
export class CurrentUserController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly passwords: PasswordChanges,
  ) {}

  @Get('account')
  @ApiOkResponse({ type: AccountDto })
  account(@CurrentPrincipal() principal: Principal, @ActingAccount() account: string): Promise<AccountView> {
    return this.rpc.send(IdentitySubjects.accountGet, { principal, account });
  }

  @Get('user')
  @ApiOkResponse({ type: UserDto })
  user(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    return this.rpc.send(IdentitySubjects.userGet, { principal, account: principal.accountName, username: principal.username });
  }

  @Get('user/credentials')
  @ApiOkResponse({ type: [AccessCredentialDto] })
  credentials(@CurrentPrincipal() principal: Principal): Promise<CredentialView[]> {
    return this.rpc.send(IdentitySubjects.credentialList, { principal, account: principal.accountName, username: principal.username });
  }

  @Post('user/credentials')
  @HttpCode(200)
  @ApiOkResponse({ type: AccessCredentialDto })
  @Audited({ action: 'password.set', own: true })
  setPassword(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Body() body: AccessCredentialDto): Promise<CredentialView> {
    return this.passwords.set(principal, request.ip, principal.accountName, principal.username, body);
  }
}
