import {
  type AccountCreateRequest,
  type AccountListRequest,
  type AccountRef,
  type AccountUpdateStateRequest,
  type CredentialDeleteRequest,
  type CredentialSetRequest,
  type UserCreateRequest,
  type UserListRequest,
  type UserRef,
  type VerifyCredentialsRequest,
} from './identity/requests';
import {
  type AccountStatusView,
  type AccountView,
  type CredentialView,
  type HealthView,
  type Page,
  type UserView,
  type VerifiedPrincipal,
} from './identity/views';
import { type IdentitySubjects } from './subjects';

type S = typeof IdentitySubjects;

/** Request and reply types of every request subject: the typed `send()` reads this map. */
export interface RpcContract {
  'identity.auth.verify': { request: VerifyCredentialsRequest; reply: VerifiedPrincipal };
  'identity.health.check': { request: Record<string, never>; reply: HealthView };
  'identity.account.list': { request: AccountListRequest; reply: Page<AccountView> };
  'identity.account.create': { request: AccountCreateRequest; reply: AccountView };
  'identity.account.get': { request: AccountRef; reply: AccountView };
  'identity.account.update-state': { request: AccountUpdateStateRequest; reply: AccountStatusView };
  'identity.account.delete': { request: AccountRef; reply: AccountStatusView };
  'identity.user.list': { request: UserListRequest; reply: Page<UserView> };
  'identity.user.create': { request: UserCreateRequest; reply: UserView };
  'identity.user.get': { request: UserRef; reply: UserView };
  'identity.user.delete': { request: UserRef; reply: Record<string, never> };
  'identity.credential.list': { request: UserRef; reply: CredentialView[] };
  'identity.credential.set': { request: CredentialSetRequest; reply: CredentialView };
  'identity.credential.delete': { request: CredentialDeleteRequest; reply: Record<string, never> };
}

export type RpcSubject = S[keyof S];
export type RpcRequest<K extends RpcSubject> = RpcContract[K]['request'];
export type RpcReply<K extends RpcSubject> = RpcContract[K]['reply'];
