import { Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { IdentitySubjects, TokenKind } from '@keyward/contracts';
import { DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { SessionDto } from './dto';
import { Audited } from '../audit/audited.decorator';

export interface SessionView {
  token: string;
  expires_at: string;
  username: string;
  account: string;
  accountType: string;
  superuser: boolean;
  staff: boolean;
}

/**
 * Console sessions: signing in with a password gives a short-lived token of kind `session`,
 * sent as a bearer token afterwards. It ends on sign-out, when the user's password changes, and
 * with its user or account.
 */
@ApiTags('Session')
@Controller('v1/session')
export class SessionController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @ApiCreatedResponse({ type: SessionDto })
  @Audited({ action: 'session.create', own: true })
  async signIn(@CurrentPrincipal() principal: Principal): Promise<SessionView> {
    const created = await this.rpc.send(IdentitySubjects.tokenCreate, { principal, kind: TokenKind.Session });
    return {
      token: created.token,
      expires_at: created.expires_at,
      username: principal.username,
      account: principal.accountName,
      accountType: principal.accountType,
      superuser: principal.superuser === true,
      staff: principal.staff === true,
    };
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session (the bearer token of this request) ends' })
  @Audited({ action: 'session.delete', own: true })
  async signOut(@CurrentPrincipal() principal: Principal): Promise<void> {
    if (!principal.tokenId) {
      throw new DomainError(ErrorCode.BadRequest, 'Sign out with the session token: Authorization: Bearer <token>');
    }
    await this.rpc.send(IdentitySubjects.tokenRevoke, { principal, id: principal.tokenId, any: false, kind: TokenKind.Session });
  }
}
