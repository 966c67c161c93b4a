import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CursorPageQuery, PageQuery } from '../api/queries';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CredentialsSubjects, type ProjectView, type StoredCredentialView } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { pageHeaders, TOTAL_COUNT_HEADER } from '../api/request-input';
import { ActingAccount, CurrentPrincipal } from '../auth/principal.decorator';
import { AccountScopeResolver } from './account-scope.resolver';
import { CredentialDto, ProjectCreateDto, ProjectDto, ProjectUpdateDto } from './dto';
import { Audited, type BeforeContext } from '../audit/audited.decorator';

/** A project as it is before a change, for the audit log. */
async function projectBefore({ rpc, scope, principal, acting, params }: BeforeContext) {
  return rpc.send(CredentialsSubjects.projectGet, { principal, account: await scope.resolve(principal, acting), project: params['name'] ?? '' });
}

@ApiTags('Projects')
@Controller('v1/projects')
export class ProjectsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly scope: AccountScopeResolver,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: ProjectDto })
  @Audited({ action: 'project.create' })
  async create(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Body() body: ProjectCreateDto): Promise<ProjectView> {
    const { name, namespace, description } = body;
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.projectCreate, { principal, account, name, namespace, description });
  }

  @Get()
  @ApiOkResponse({ type: [ProjectDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { limit, offset }: PageQuery,
  ): Promise<ProjectView[]> {
    const account = await this.scope.resolve(principal, acting);
    const page = await this.rpc.send(CredentialsSubjects.projectList, { principal, account, page: { limit, offset } });
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Get(':name')
  @ApiOkResponse({ type: ProjectDto })
  async get(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Param('name') project: string): Promise<ProjectView> {
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.projectGet, { principal, account, project });
  }

  @Patch(':name')
  @ApiOkResponse({ type: ProjectDto })
  @Audited({ action: 'project.update', before: projectBefore })
  async update(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Param('name') project: string,
    @Body() body: ProjectUpdateDto,
  ): Promise<ProjectView> {
    const account = await this.scope.resolve(principal, acting);
    return this.rpc.send(CredentialsSubjects.projectUpdate, { principal, account, project, description: body.description });
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiNoContentResponse()
  @Audited({ action: 'project.delete', before: projectBefore })
  async delete(@CurrentPrincipal() principal: Principal, @ActingAccount() acting: string, @Param('name') project: string): Promise<void> {
    const account = await this.scope.resolve(principal, acting);
    await this.rpc.send(CredentialsSubjects.projectDelete, { principal, account, project });
  }

  /** The credentials a project's workloads may use: its own and every credential of scope `all`. */
  @Get(':name/credentials')
  @ApiOkResponse({ type: [CredentialDto] })
  async effective(
    @CurrentPrincipal() principal: Principal,
    @ActingAccount() acting: string,
    @Param('name') project: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { limit, offset, after }: CursorPageQuery,
  ): Promise<StoredCredentialView[]> {
    const account = await this.scope.resolve(principal, acting);
    const page = await this.rpc.send(CredentialsSubjects.credentialListEffective, { principal, account, project, page: { limit, offset, after } });
    pageHeaders(reply, page);
    return page.items;
  }
}
