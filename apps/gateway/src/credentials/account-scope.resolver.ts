import { Injectable } from '@nestjs/common';
import { type AccountScopeView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { LRUCache } from 'lru-cache';
import { GatewayConfig } from '../config';

/**
 * The account (id and name) a request acts in. The caller's own account needs no lookup; another
 * one (`x-anchore-account`) is resolved by identity, which refuses it to non-administrators.
 *
 * Identity's answers are kept per principal (its user and token) and account, like verified
 * passwords in the credential cache and under the same limits: every entry goes when identity
 * reports any change to a principal or an account (a role, a state, a deletion), when the NATS
 * connection changes, and after the TTL. An answer that was on its way when such a report came
 * is used once and not kept. The services still check each request against the account itself.
 */
@Injectable()
export class AccountScopeResolver {
  private readonly resolved: LRUCache<string, AccountScopeView>;
  /** Moves on at every forgetAll: an answer asked for before it is not kept. */
  private generation = 0;

  constructor(
    private readonly rpc: RpcClient,
    config: GatewayConfig,
  ) {
    this.resolved = new LRUCache({ max: Math.max(1, config.KEYWARD_AUTH_CACHE_SIZE), ttl: Math.max(1, config.KEYWARD_AUTH_CACHE_TTL_SECONDS * 1000) });
  }

  async resolve(principal: Principal, accountName: string): Promise<AccountScopeView> {
    if (accountName === principal.accountName) {
      return { id: principal.accountId, name: principal.accountName };
    }
    const key = `${principal.username}\0${principal.tokenId ?? ''}\0${accountName}`;
    const known = this.resolved.get(key);
    if (known) {
      return known;
    }
    const generation = this.generation;
    const scope = await this.rpc.send(IdentitySubjects.accountResolve, { principal, account: accountName });
    if (generation === this.generation) {
      this.resolved.set(key, scope);
    }
    return scope;
  }

  /** Identity reported a change, or events may have been missed: no answer kept so far is trusted. */
  forgetAll(): void {
    this.generation += 1;
    this.resolved.clear();
  }
}
