import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { SecretListQuery } from '../api/queries';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CredentialsSubjects, type SecretView } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { TOTAL_COUNT_HEADER } from '../api/request-input';
import { ActingAccount, CurrentPrincipal } from '../auth/principal.decorator';
import { AccountScopeResolver } from './account-scope.resolver';
import { SecretCreateDto, SecretDto } from './dto';
import { Audited } from '../audit/audited.decorator';

/** The inventory of existing secrets that "Existing secret" picks from. Data is write-only. */
@ApiTags('Secrets')
@Controller('v1/secrets')
export class SecretsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly scope: AccountScopeResolver,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: SecretDto })
  @Audited({
    action: 'secret.create',
    id: (_, __, reply) => (reply['namespace'] && reply['name'] ? `${String(reply['namespace'])}/${String(reply['name'])}` : undefined),
  })
  async create(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Body() body: SecretCreateDto): Promise<SecretView> {
    const { namespace, name, type, labels, data } = body;
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.secretCreate, { principal, account, namespace, name, type, labels, data });
  }

  @Get()
  @ApiOkResponse({ type: [SecretDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { unused, project, limit, offset }: SecretListQuery,
  ): Promise<SecretView[]> {
    const account = await this.scope.resolve(principal, acting);
    const page = await this.rpc.send(CredentialsSubjects.secretList, {
      principal,
      account,
      unused: unused === true,
      project: project || undefined,
      page: { limit, offset },
    });
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Delete(':namespace/:name')
  @HttpCode(204)
  @ApiNoContentResponse()
  @Audited({ action: 'secret.delete', id: (params) => `${params['namespace'] ?? ''}/${params['name'] ?? ''}` })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Param('namespace') namespace: string,
    @Param('name') name: string,
  ): Promise<void> {
    const account = await this.scope.resolve(principal, acting);
    await this.rpc.send(CredentialsSubjects.secretDelete, { principal, account, namespace, name });
  }
}
