import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { PageQuery } from '../api/queries';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type ApiTokenView, type CreatedTokenView, IdentitySubjects, type KeywardClientConfig, TokenKind } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { TOTAL_COUNT_HEADER } from '../api/request-input';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { GatewayConfig } from '../config';
import { baseUrlOf, clientConfig } from './client-config';
import { ApiTokenDto, CreatedTokenDto, TokenCreateDto } from './dto';
import { Audited } from '../audit/audited.decorator';

/** The caller's own API tokens: the token page. */
@ApiTags('API tokens')
@Controller('v1/user/tokens')
export class UserTokensController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedTokenDto, description: 'The token, shown this once, and the JSON to save as ~/.keyward' })
  @Audited({ action: 'token.create', own: true, id: (_, __, reply) => (typeof reply['id'] === 'string' ? reply['id'] : undefined) })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Body() body: TokenCreateDto,
  ): Promise<CreatedTokenView & { keyward: KeywardClientConfig }> {
    const { name, expiresInDays, readOnly } = body;
    const created = await this.rpc.send(IdentitySubjects.tokenCreate, { principal, kind: TokenKind.Api, name, expiresInDays, readOnly });
    return { ...created, keyward: clientConfig(created.token, created.username, baseUrlOf(request, this.config.KEYWARD_PUBLIC_URL)) };
  }

  @Get()
  @ApiOkResponse({ type: [ApiTokenDto], description: 'Live tokens, newest first; never their secrets' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { limit, offset }: PageQuery,
  ): Promise<ApiTokenView[]> {
    const page = await this.rpc.send(IdentitySubjects.tokenList, { principal, all: false, page: { limit, offset } });
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: refused from the next request on, on every replica' })
  @Audited({ action: 'token.revoke', account: () => undefined })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.rpc.send(IdentitySubjects.tokenRevoke, { principal, id, any: false });
  }
}
