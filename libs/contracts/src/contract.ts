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
import { type AuditAppendRequest, type AuditListRequest } from './audit/audit';
import { type AuditRecordView } from './audit/views';
import {
  type CredentialsSubject,
  type CredentialsSubjects,
  type IdentityEvents,
  type IdentitySubject,
  type IdentitySubjects,
  type ReaperSubject,
  type ReaperSubjects,
} from './subjects';
import { type AccountDeletedEvent, type AccountDeletingEvent, type PrincipalChangedEvent } from './identity/events';

/** Request and reply types of every request subject, keyed by the subject constants: the typed `send()` and the handlers read this map. */
export interface RpcContract {
  [IdentitySubjects.authVerify]: { request: VerifyCredentialsRequest; reply: VerifiedPrincipal };
  [IdentitySubjects.healthCheck]: { request: Record<string, never>; reply: HealthView };
  [IdentitySubjects.accountList]: { request: AccountListRequest; reply: Page<AccountView> };
  [IdentitySubjects.accountCreate]: { request: AccountCreateRequest; reply: AccountView };
  [IdentitySubjects.accountGet]: { request: AccountRef; reply: AccountView };
  [IdentitySubjects.accountResolve]: { request: AccountRef; reply: AccountScopeView };
  [IdentitySubjects.accountListDeleting]: { request: AccountListDeletingRequest; reply: DeletingAccountView[] };
  [IdentitySubjects.accountRemove]: { request: AccountIdRef; reply: AccountRemovedView };
  [IdentitySubjects.accountState]: { request: AccountIdRef; reply: AccountStateView };
  [IdentitySubjects.accountUpdateState]: { request: AccountUpdateStateRequest; reply: AccountStatusView };
  [IdentitySubjects.accountDelete]: { request: AccountRef; reply: AccountStatusView };
  [IdentitySubjects.userList]: { request: UserListRequest; reply: Page<UserView> };
  [IdentitySubjects.userCreate]: { request: UserCreateRequest; reply: UserView };
  [IdentitySubjects.userGet]: { request: UserRef; reply: UserView };
  [IdentitySubjects.userDelete]: { request: UserRef; reply: Record<string, never> };
  [IdentitySubjects.credentialList]: { request: UserRef; reply: CredentialView[] };
  [IdentitySubjects.credentialSet]: { request: CredentialSetRequest; reply: CredentialView };
  [IdentitySubjects.credentialDelete]: { request: CredentialDeleteRequest; reply: Record<string, never> };
  [IdentitySubjects.userListAll]: { request: AdminUserListRequest; reply: Page<AdminUserView> };
  [IdentitySubjects.userSetRoles]: { request: UserRolesRequest; reply: AdminUserView };
  [IdentitySubjects.tokenCreate]: { request: TokenCreateRequest; reply: CreatedTokenView };
  [IdentitySubjects.tokenList]: { request: TokenListRequest; reply: Page<ApiTokenView> };
  [IdentitySubjects.tokenRevoke]: { request: TokenRevokeRequest; reply: Record<string, never> };
  [IdentitySubjects.userTokensRevoke]: { request: UserTokensRevokeRequest; reply: { revoked: number } };
  [IdentitySubjects.tokenVerify]: { request: TokenVerifyRequest; reply: VerifiedPrincipal };
  [IdentitySubjects.tokenVerifySignature]: { request: SignatureVerifyRequest; reply: VerifiedPrincipal };
  [IdentitySubjects.auditAppend]: { request: AuditAppendRequest; reply: { stored: number } };
  [IdentitySubjects.auditList]: { request: AuditListRequest; reply: Page<AuditRecordView> };
  [CredentialsSubjects.healthCheck]: { request: Record<string, never>; reply: HealthView };
  [CredentialsSubjects.projectCreate]: { request: ProjectCreateRequest; reply: ProjectView };
  [CredentialsSubjects.projectList]: { request: ProjectListRequest; reply: Page<ProjectView> };
  [CredentialsSubjects.projectGet]: { request: ProjectRef; reply: ProjectView };
  [CredentialsSubjects.projectUpdate]: { request: ProjectUpdateRequest; reply: ProjectView };
  [CredentialsSubjects.projectDelete]: { request: ProjectRef; reply: Record<string, never> };
  [CredentialsSubjects.credentialCreate]: { request: CredentialCreateRequest; reply: StoredCredentialView };
  [CredentialsSubjects.credentialList]: { request: CredentialListRequest; reply: Page<StoredCredentialView> };
  [CredentialsSubjects.credentialListEffective]: { request: EffectiveCredentialsRequest; reply: Page<StoredCredentialView> };
  [CredentialsSubjects.credentialGet]: { request: CredentialRef; reply: StoredCredentialView };
  [CredentialsSubjects.credentialUpdate]: { request: CredentialUpdateRequest; reply: StoredCredentialView };
  [CredentialsSubjects.credentialDelete]: { request: CredentialRef; reply: Record<string, never> };
  [CredentialsSubjects.credentialExport]: { request: CredentialExportRequest; reply: CredentialExportView };
  [CredentialsSubjects.secretCreate]: { request: SecretCreateRequest; reply: SecretView };
  [CredentialsSubjects.secretList]: { request: SecretListRequest; reply: Page<SecretView> };
  [CredentialsSubjects.secretDelete]: { request: SecretRef; reply: Record<string, never> };
  [CredentialsSubjects.accountPurge]: { request: AccountPurgeRequest; reply: PurgeView };
  [ReaperSubjects.jobGet]: { request: AccountByNameRequest; reply: DeletionProgressView | null };
  [ReaperSubjects.healthCheck]: { request: Record<string, never>; reply: HealthView };
}

export type RpcSubject = IdentitySubject | CredentialsSubject | ReaperSubject;
export type RpcRequest<K extends RpcSubject> = RpcContract[K]['request'];
export type RpcReply<K extends RpcSubject> = RpcContract[K]['reply'];

/** Every request subject has its request and reply types here: a subject added without them does not compile. */
type NoneLeft<T extends never> = T;
export type UncontractedSubjects = NoneLeft<Exclude<RpcSubject, keyof RpcContract>>;

/** The payload of every event, keyed by the event constants: publishers, the outbox and consumers read this map. */
export interface EventContract {
  [IdentityEvents.principalChanged]: PrincipalChangedEvent;
  [IdentityEvents.accountDeleting]: AccountDeletingEvent;
  [IdentityEvents.accountDeleted]: AccountDeletedEvent;
}

export type EventSubject = keyof EventContract;
export type EventPayload<K extends EventSubject> = EventContract[K];
