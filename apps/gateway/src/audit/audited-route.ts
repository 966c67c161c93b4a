import { type Principal } from '@keyward/domain';
import { type RpcClient } from '@keyward/nest-common';
import { type AccountScopeResolver } from '../credentials/account-scope.resolver';

/** What a before-loader may use: the request's caller, the account it acts in, its route parameters. */
export interface BeforeContext {
  rpc: RpcClient;
  scope: AccountScopeResolver;
  principal: Principal;
  acting: string;
  params: Record<string, string>;
}

export interface AuditedRoute {
  /** `<resource>.<verb>`; the resource type is the part before the dot. */
  action: string;
  /** The resource's id or name, from the route, the body or the reply; by default the route's last parameter, else the reply's id or name. */
  id?: (params: Record<string, string>, body: Record<string, unknown>, reply: Record<string, unknown>) => string | undefined;
  /** The account the resource belongs to; by default the account the request acts in. */
  account?: (params: Record<string, string>, body: Record<string, unknown>, acting: string) => string | undefined;
  /** The change is to the caller's own user (its password, its session, its token): the resource's id and account are the caller's. */
  own?: boolean;
  /** Reads the resource as it is before the change (updates and deletions). */
  before?: (context: BeforeContext) => Promise<unknown>;
}

export const AUDITED = 'keyward:audited';
