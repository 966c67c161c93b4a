import { type AccountState, type AccountType, type CredentialType, type Principal, type UserType } from '@keyward/domain';

/** Anchore Engine's Account object. Timestamps are RFC 3339 in UTC, to the second. */
export interface AccountView {
  name: string;
  email: string | null;
  type: AccountType;
  state: AccountState;
  created_at: string;
  last_updated: string;
}

export interface AccountStatusView {
  state: AccountState;
}

/** Anchore Engine's User object. */
export interface UserView {
  username: string;
  type: UserType;
  source: string | null;
  created_at: string;
  last_updated: string;
}

/** Anchore Engine's AccessCredential object; the value is always masked. */
export interface CredentialView {
  type: CredentialType;
  value: string;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** True when `total` is the planner's estimate: a list past COUNT_EXACT_UP_TO rows is not counted one by one. */
  totalEstimated?: boolean;
  /** The cursor of the page after this one (`after`), where the list supports keyset pagination; null on the last page. */
  next?: string | null;
}

export interface HealthView {
  database: 'up' | 'down';
}

export type VerifiedPrincipal = Principal;

export interface DeletingAccountView {
  accountId: string;
  name: string;
}

export interface AccountRemovedView {
  removed: boolean;
}

/** What is left of an account being reaped, per resource type. */
export interface DeletionProgressView {
  accountId: string;
  name: string;
  remaining: Record<string, number> | null;
  lastError: string | null;
  updatedAt: string;
}

/** A user in the admin view: where it belongs and what it may do. */
export interface AdminUserView {
  username: string;
  account: string;
  type: UserType;
  staff: boolean;
  superuser: boolean;
  created_at: string;
  last_updated: string;
}

/** An API token or session as listed: never its secret. */
export interface ApiTokenView {
  id: string;
  name: string;
  username: string;
  account: string;
  readOnly: boolean;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

/** The JSON a client saves as `~/.keyward`. */
export interface KeywardClientConfig {
  registry: { token: string; username: string; base: string };
}

/** The reply to a token's creation: the only time the token string is shown. */
export interface CreatedTokenView extends ApiTokenView {
  token: string;
}
