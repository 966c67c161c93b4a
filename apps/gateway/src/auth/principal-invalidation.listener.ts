import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdentityEvents } from '@keyward/contracts';
import { tokenKey } from '@keyward/domain';
import { EventBus, RpcClient } from '@keyward/nest-common';
import { type Subscription } from 'nats';
import { AccountScopeResolver } from '../credentials/account-scope.resolver';
import { CredentialCache } from './credential-cache';

/** Drops cached principals and account resolutions the moment identity reports a change, on every replica (no queue group). */
@Injectable()
export class PrincipalInvalidationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PrincipalInvalidationListener.name);
  private subscription?: Subscription;

  constructor(
    private readonly bus: EventBus,
    private readonly rpc: RpcClient,
    private readonly cache: CredentialCache,
    private readonly scopes: AccountScopeResolver,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.bus.subscribe(IdentityEvents.principalChanged, (event) => {
      this.scopes.forgetAll();
      if (event.usernames) {
        this.cache.evictUsers(event.usernames);
      }
      if (event.tokenIds) {
        this.cache.evictKeys(event.tokenIds.map(tokenKey));
      }
      if (event.account) {
        this.cache.evictAccount(event.account);
      }
    });
    // While disconnected, events are missed: forget everything rather than trust stale entries.
    this.rpc.onReconnect(() => {
      this.logger.warn('NATS connection changed: clearing the credential cache');
      this.cache.clear();
      this.scopes.forgetAll();
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
