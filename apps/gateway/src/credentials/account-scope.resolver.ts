import { Injectable } from '@nestjs/common';
import { type AccountScopeView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';

/**
 * The account (id and name) a request acts in. The caller's own account needs no lookup; another
 * one (`x-anchore-account`) is resolved by identity, which refuses it to non-administrators.
 */
@Injectable()
export class AccountScopeResolver {
  constructor(private readonly rpc: RpcClient) {}

  resolve(principal: Principal, accountName: string): Promise<AccountScopeView> {
    if (accountName === principal.accountName) {
      return Promise.resolve({ id: principal.accountId, name: principal.accountName });
    }
    return this.rpc.send(IdentitySubjects.accountResolve, { principal, account: accountName });
  }
}
