import { Controller, Delete, Get, HttpCode, Param, Query, Res } from '@nestjs/common';
import { AdminTokenListQuery } from '../api/queries';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type ApiTokenView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { TOTAL_COUNT_HEADER } from '../api/request-input';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiTokenDto } from './dto';
import { Audited } from '../audit/audited.decorator';

/** Everyone's API tokens: listed by administrators, superusers and staff; revoked by the first two. */
@ApiTags('Admin')
@Controller('v1/admin/tokens')
export class AdminTokensController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOkResponse({ type: [ApiTokenDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { account, username, limit, offset }: AdminTokenListQuery,
  ): Promise<ApiTokenView[]> {
    const page = await this.rpc.send(IdentitySubjects.tokenList, {
      principal,
      all: true,
      account: account || undefined,
      username: username || undefined,
      page: { limit, offset },
    });
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @Audited({ action: 'token.revoke', account: () => undefined })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.rpc.send(IdentitySubjects.tokenRevoke, { principal, id, any: true });
  }
}
