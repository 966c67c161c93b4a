import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CredentialListQuery, ExportQuery } from '../api/queries';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type CredentialListRequest, CredentialsSubjects, type StoredCredentialView } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { pageHeaders } from '../api/request-input';
import { ActingAccount, CurrentPrincipal } from '../auth/principal.decorator';
import { AccountScopeResolver } from './account-scope.resolver';
import { CredentialCreateDto, CredentialDto, CredentialUpdateDto } from './dto';
import { Audited, type BeforeContext } from '../audit/audited.decorator';

/** A credential as it is before a change, for the audit log. */
async function credentialBefore({ rpc, scope, principal, acting, params }: BeforeContext) {
  return rpc.send(CredentialsSubjects.credentialGet, { principal, account: await scope.resolve(principal, acting), id: params['id'] ?? '' });
}

@ApiTags('Credentials')
@Controller('v1/credentials')
export class CredentialsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly scope: AccountScopeResolver,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CredentialDto, description: 'Metadata only: secret values are never returned' })
  @Audited({ action: 'credential.create' })
  async create(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Body() body: CredentialCreateDto): Promise<StoredCredentialView> {
    const { name, description, type, scope, project, values, existingSecret } = body;
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.credentialCreate, { principal, account, name, description, type, scope, project, values, existingSecret });
  }

  @Get()
  @ApiOkResponse({ type: [CredentialDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { type, scope, project, limit, offset, after }: CredentialListQuery,
  ): Promise<StoredCredentialView[]> {
    const request: Omit<CredentialListRequest, 'principal' | 'account'> = {
      page: { limit, offset, after },
      type,
      scope,
      project: project || undefined,
    };
    const account = await this.scope.resolve(principal, acting);
    const page = await this.rpc.send(CredentialsSubjects.credentialList, { principal, account, ...request });
    pageHeaders(reply, page);
    return page.items;
  }

  @Get(':id')
  @ApiOkResponse({ type: CredentialDto })
  async get(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Param('id') id: string): Promise<StoredCredentialView> {
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.credentialGet, { principal, account, id });
  }

  @Patch(':id')
  @ApiOkResponse({ type: CredentialDto })
  @Audited({ action: 'credential.update', before: credentialBefore })
  async update(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Param('id') id: string,
    @Body() body: CredentialUpdateDto,
  ): Promise<StoredCredentialView> {
    const { name, description, values, scope, project } = body;
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.credentialUpdate, { principal, account, id, name, description, values, scope, project });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @Audited({ action: 'credential.delete', before: credentialBefore })
  async delete(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Param('id') id: string): Promise<void> {
    const account = await this.scope.resolve(principal, acting);
    await this.rpc.send(CredentialsSubjects.credentialDelete, { principal, account, id });
  }

  /** The secret material for a workload, in the format asked for. Every call is audited. */
  @Post(':id/export')
  @HttpCode(200)
  @ApiOkResponse({ description: 'application/json for dockerconfigjson and kubernetes-secret, text/plain for env' })
  @Audited({ action: 'credential.export' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { format }: ExportQuery,
  ): Promise<string> {
    const account = await this.scope.resolve(principal, acting);
    const exported = await this.rpc.send(CredentialsSubjects.credentialExport, { principal, account, id, format, address: request.ip });
    void reply.header('Content-Type', `${exported.contentType}; charset=utf-8`).header('Cache-Control', 'no-store');
    return exported.content;
  }
}
