import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type AccountView, type CredentialView, IdentitySubjects, type UserView } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { AccessCredentialDto, AccountDto, UserDto } from '../api/dto';
import { bodyObject } from '../api/request-input';
import { ActingAccount, CurrentPrincipal } from '../auth/principal.decorator';

/** The caller's own account and user: what `anchore-cli account whoami` reads. */
@ApiTags('Current user')
@Controller('v1')
export class CurrentUserController {
  constructor(private readonly rpc: RpcClient) {}

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
  @ApiBody({ type: AccessCredentialDto })
  @ApiOkResponse({ type: AccessCredentialDto })
  setPassword(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<CredentialView> {
    const { type, value } = bodyObject(body);
    return this.rpc.send(IdentitySubjects.credentialSet, {
      principal,
      account: principal.accountName,
      username: principal.username,
      type: type as string,
      value: value as string,
    });
  }
}
