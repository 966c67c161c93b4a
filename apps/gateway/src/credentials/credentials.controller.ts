import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CredentialListQuery, ExportQuery } from '../api/queries';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type CredentialListRequest, CredentialsSubjects, type StoredCredentialView } from '@keyward/contracts';
import { CredentialScope, DomainError, ErrorCode, type Principal, StoredCredentialType } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { bodyObject, pageHeaders, pageQuery } from '../api/request-input';
import { ActingAccount, CurrentPrincipal } from '../auth/principal.decorator';
import { AccountScopeResolver } from './account-scope.resolver';
import { CredentialCreateDto, CredentialDto, CredentialUpdateDto } from './dto';
import { Audited, type BeforeContext } from '../audit/audited.decorator';

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new DomainError(ErrorCode.BadRequest, `Query parameter ${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

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
    const { name, description, type, scope, project, values, existingSecret } = bodyObject(body);
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.credentialCreate, {
      principal,
      account,
      name: name as string,
      description: description as string | undefined,
      type: type as string,
      scope: scope as string,
      project: project as string | undefined,
      values: values as Record<string, unknown> | undefined,
      existingSecret: existingSecret as string | undefined,
    });
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
      page: pageQuery(limit, offset, after),
      type: oneOf('type', type, Object.values(StoredCredentialType)),
      scope: oneOf('scope', scope, Object.values(CredentialScope)),
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
  async update(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Param('id') id: string, @Body() body: CredentialUpdateDto): Promise<StoredCredentialView> {
    const { name, description, values, scope: newScope, project } = bodyObject(body);
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.credentialUpdate, {
      principal,
      account,
      id,
      name: name as string | undefined,
      description: description as string | undefined,
      values: values as Record<string, unknown> | undefined,
      scope: newScope as string | undefined,
      project: project as string | undefined,
    });
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
