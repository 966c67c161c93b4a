import {
  type AccountCreateRequest,
  type AccountListRequest,
  type AccountByNameRequest,
  type AdminUserListRequest,
  type UserRolesRequest,
  type AccountListDeletingRequest,
  type AccountIdRef,
  type AccountRef,
  type AccountUpdateStateRequest,
  type CredentialDeleteRequest,
  type CredentialSetRequest,
  type UserCreateRequest,
  type UserListRequest,
  type UserRef,
  type VerifyCredentialsRequest,
  type SignatureVerifyRequest,
  type TokenCreateRequest,
  type TokenListRequest,
  type TokenRevokeRequest,
  type UserTokensRevokeRequest,
  type TokenVerifyRequest,
} from './identity/requests';
import {
  type AccountRemovedView,
  type AdminUserView,
  type AccountStatusView,
  type AccountView,
  type CredentialView,
  type DeletingAccountView,
  type DeletionProgressView,
  type HealthView,
  type Page,
  type UserView,
  type VerifiedPrincipal,
  type ApiTokenView,
  type CreatedTokenView,
} from './identity/views';
import {
  type AccountPurgeRequest,
  type CredentialCreateRequest,
  type CredentialExportRequest,
  type CredentialListRequest,
  type CredentialRef,
  type CredentialUpdateRequest,
  type EffectiveCredentialsRequest,
  type ProjectCreateRequest,
  type ProjectListRequest,
  type ProjectRef,
  type ProjectUpdateRequest,
  type SecretCreateRequest,
  type SecretListRequest,
  type SecretRef,
} from './credentials/requests';
import {
  type AccountScopeView,
  type AccountStateView,
  type CredentialExportView,
  type StoredCredentialView,
  type ProjectView,
  type PurgeView,
  type SecretView,
} from './credentials/views';
import { type AuditAppendRequest, type AuditListRequest, type AuditRecordView } from './audit/audit';
import { type CredentialsSubject, type IdentitySubject, type ReaperSubject } from './subjects';

/** Request and reply types of every request subject: the typed `send()` reads this map. */
export interface RpcContract {
  'identity.auth.verify': { request: VerifyCredentialsRequest; reply: VerifiedPrincipal };
  'identity.health.check': { request: Record<string, never>; reply: HealthView };
  'identity.account.list': { request: AccountListRequest; reply: Page<AccountView> };
  'identity.account.create': { request: AccountCreateRequest; reply: AccountView };
  'identity.account.get': { request: AccountRef; reply: AccountView };
  'identity.account.resolve': { request: AccountRef; reply: AccountScopeView };
  'identity.account.list-deleting': { request: AccountListDeletingRequest; reply: DeletingAccountView[] };
  'identity.account.remove': { request: AccountIdRef; reply: AccountRemovedView };
  'identity.account.state': { request: AccountIdRef; reply: AccountStateView };
  'identity.account.update-state': { request: AccountUpdateStateRequest; reply: AccountStatusView };
  'identity.account.delete': { request: AccountRef; reply: AccountStatusView };
  'identity.user.list': { request: UserListRequest; reply: Page<UserView> };
  'identity.user.create': { request: UserCreateRequest; reply: UserView };
  'identity.user.get': { request: UserRef; reply: UserView };
  'identity.user.delete': { request: UserRef; reply: Record<string, never> };
  'identity.credential.list': { request: UserRef; reply: CredentialView[] };
  'identity.credential.set': { request: CredentialSetRequest; reply: CredentialView };
  'identity.credential.delete': { request: CredentialDeleteRequest; reply: Record<string, never> };
  'identity.user.list-all': { request: AdminUserListRequest; reply: Page<AdminUserView> };
  'identity.user.set-roles': { request: UserRolesRequest; reply: AdminUserView };
  'identity.token.create': { request: TokenCreateRequest; reply: CreatedTokenView };
  'identity.token.list': { request: TokenListRequest; reply: Page<ApiTokenView> };
  'identity.token.revoke': { request: TokenRevokeRequest; reply: Record<string, never> };
  'identity.user.revoke-tokens': { request: UserTokensRevokeRequest; reply: { revoked: number } };
  'identity.token.verify': { request: TokenVerifyRequest; reply: VerifiedPrincipal };
  'identity.token.verify-signature': { request: SignatureVerifyRequest; reply: VerifiedPrincipal };
  'identity.audit.append': { request: AuditAppendRequest; reply: { stored: number } };
  'identity.audit.list': { request: AuditListRequest; reply: Page<AuditRecordView> };
  'credentials.health.check': { request: Record<string, never>; reply: HealthView };
  'credentials.project.create': { request: ProjectCreateRequest; reply: ProjectView };
  'credentials.project.list': { request: ProjectListRequest; reply: Page<ProjectView> };
  'credentials.project.get': { request: ProjectRef; reply: ProjectView };
  'credentials.project.update': { request: ProjectUpdateRequest; reply: ProjectView };
  'credentials.project.delete': { request: ProjectRef; reply: Record<string, never> };
  'credentials.credential.create': { request: CredentialCreateRequest; reply: StoredCredentialView };
  'credentials.credential.list': { request: CredentialListRequest; reply: Page<StoredCredentialView> };
  'credentials.credential.list-effective': { request: EffectiveCredentialsRequest; reply: Page<StoredCredentialView> };
  'credentials.credential.get': { request: CredentialRef; reply: StoredCredentialView };
  'credentials.credential.update': { request: CredentialUpdateRequest; reply: StoredCredentialView };
  'credentials.credential.delete': { request: CredentialRef; reply: Record<string, never> };
  'credentials.credential.export': { request: CredentialExportRequest; reply: CredentialExportView };
  'credentials.secret.create': { request: SecretCreateRequest; reply: SecretView };
  'credentials.secret.list': { request: SecretListRequest; reply: Page<SecretView> };
  'credentials.secret.delete': { request: SecretRef; reply: Record<string, never> };
  'credentials.account.purge': { request: AccountPurgeRequest; reply: PurgeView };
  'reaper.job.get': { request: AccountByNameRequest; reply: DeletionProgressView | null };
  'reaper.health.check': { request: Record<string, never>; reply: HealthView };
}

export type RpcSubject = IdentitySubject | CredentialsSubject | ReaperSubject;
export type RpcRequest<K extends RpcSubject> = RpcContract[K]['request'];
export type RpcReply<K extends RpcSubject> = RpcContract[K]['reply'];
