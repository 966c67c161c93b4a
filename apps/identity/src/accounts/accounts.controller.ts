import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AccountCreateRequest,
  AccountIdRef,
  AccountListDeletingRequest,
  type AccountRemovedView,
  type DeletingAccountView,
  AccountListRequest,
  AccountRef,
  type AccountScopeView,
  type AccountStateView,
  type AccountStatusView,
  AccountUpdateStateRequest,
  type AccountView,
  IdentitySubjects,
  type Page,
} from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Rpc(IdentitySubjects.accountList)
  list(@Payload() request: AccountListRequest): Promise<Page<AccountView>> {
    return this.accounts.list(request);
  }

  @Rpc(IdentitySubjects.accountCreate)
  create(@Payload() request: AccountCreateRequest): Promise<AccountView> {
    return this.accounts.create(request);
  }

  @Rpc(IdentitySubjects.accountGet)
  get(@Payload() request: AccountRef): Promise<AccountView> {
    return this.accounts.get(request);
  }

  @Rpc(IdentitySubjects.accountResolve)
  resolve(@Payload() request: AccountRef): Promise<AccountScopeView> {
    return this.accounts.resolve(request);
  }

  @Rpc(IdentitySubjects.accountState)
  state(@Payload() request: AccountIdRef): Promise<AccountStateView> {
    return this.accounts.stateOf(request);
  }

  @Rpc(IdentitySubjects.accountListDeleting)
  listDeleting(@Payload() request: AccountListDeletingRequest): Promise<DeletingAccountView[]> {
    return this.accounts.listDeleting(request);
  }

  @Rpc(IdentitySubjects.accountRemove)
  remove(@Payload() request: AccountIdRef): Promise<AccountRemovedView> {
    return this.accounts.remove(request);
  }

  @Rpc(IdentitySubjects.accountUpdateState)
  updateState(@Payload() request: AccountUpdateStateRequest): Promise<AccountStatusView> {
    return this.accounts.updateState(request);
  }

  @Rpc(IdentitySubjects.accountDelete)
  delete(@Payload() request: AccountRef): Promise<AccountStatusView> {
    return this.accounts.delete(request);
  }
}
