import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { AccountListQuery } from '../api/queries';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ReaperSubjects, type AccountListRequest, type AccountStatusView, type AccountView, IdentitySubjects } from '@keyward/contracts';
import { AccountState, type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { AccountCreationRequestDto, AccountDto, AccountStatusDto } from '../api/dto';
import { TOTAL_COUNT_HEADER } from '../api/request-input';
import { readPages } from '../api/every-page';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Audited } from '../audit/audited.decorator';

@ApiTags('Accounts')
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOkResponse({
    type: [AccountDto],
    description: 'Every account without `limit`, as in Anchore; a page with `limit`. The total count is in the X-Total-Count header',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() { state, limit, offset }: AccountListQuery,
  ): Promise<AccountView[]> {
    const page = await readPages({ limit, offset }, (query) =>
      this.rpc.send(IdentitySubjects.accountList, { principal, state: state as AccountListRequest['state'], page: query }),
    );
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: AccountDto })
  @Audited({ action: 'account.create', account: (params, body) => params['account'] ?? (typeof body['name'] === 'string' ? body['name'] : undefined) })
  create(@CurrentPrincipal() principal: Principal, @Body() body: AccountCreationRequestDto): Promise<AccountView> {
    const { name, email, type } = body;
    return this.rpc.send(IdentitySubjects.accountCreate, { principal, name, email, type });
  }

  @Get(':account')
  @ApiOkResponse({
    type: AccountDto,
    description:
      'While the account is being deleted, `remaining` counts what is left to reap per resource type, up to 10,000 each (10000 means 10,000 or more)',
  })
  async get(@CurrentPrincipal() principal: Principal, @Param('account') account: string): Promise<AccountView & { remaining?: Record<string, number> | null }> {
    const view = await this.rpc.send(IdentitySubjects.accountGet, { principal, account });
    if (view.state !== AccountState.Deleting) {
      return view;
    }
    // Progress is a courtesy: the account's own answer does not depend on the reaper being up.
    const progress = await this.rpc.send(ReaperSubjects.jobGet, { principal, account }).catch(() => null);
    return { ...view, remaining: progress?.remaining ?? null };
  }

  @Put(':account/state')
  @ApiOkResponse({ type: AccountStatusDto })
  @Audited({
    action: 'account.update-state',
    account: (params, body) => params['account'] ?? (typeof body['name'] === 'string' ? body['name'] : undefined),
    before: ({ rpc, principal, params }) => rpc.send(IdentitySubjects.accountGet, { principal, account: params['account'] ?? '' }),
  })
  updateState(@CurrentPrincipal() principal: Principal, @Param('account') account: string, @Body() body: AccountStatusDto): Promise<AccountStatusView> {
    return this.rpc.send(IdentitySubjects.accountUpdateState, { principal, account, state: body.state });
  }

  @Delete(':account')
  @ApiOkResponse({ type: AccountStatusDto, description: 'The account is now being deleted in the background' })
  @Audited({
    action: 'account.delete',
    account: (params, body) => params['account'] ?? (typeof body['name'] === 'string' ? body['name'] : undefined),
    before: ({ rpc, principal, params }) => rpc.send(IdentitySubjects.accountGet, { principal, account: params['account'] ?? '' }),
  })
  delete(@CurrentPrincipal() principal: Principal, @Param('account') account: string): Promise<AccountStatusView> {
    return this.rpc.send(IdentitySubjects.accountDelete, { principal, account });
  }
}
