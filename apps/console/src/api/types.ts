/**
 * The API's shapes as the console uses them. The console has its own small copy rather than
 * importing @keyward/contracts, so its bundle never pulls in server code. Even a type-only import
 * would not do: the contracts' index brings class-validator request classes and @keyward/domain,
 * which brings node:crypto, none of which type-checks under the console's browser tsconfig; and
 * the contracts type credential kinds and scopes as domain enums, where the console compares and
 * writes plain strings. Some views also differ on purpose: an account here carries the reaper's
 * `remaining`, a created token its `keyward` file.
 */

export type AccountType = 'admin' | 'user' | 'service';
export type AccountState = 'enabled' | 'disabled' | 'deleting';

/** The reply of POST /v1/session, kept in sessionStorage while the session lasts. */
export interface SessionView {
  token: string;
  expires_at: string;
  username: string;
  account: string;
  accountType: AccountType;
  superuser: boolean;
  staff: boolean;
}

export type CredentialType = 'docker-registry' | 'access-key' | 'password' | 'kubernetes-secret';
export type CredentialScope = 'project' | 'all';

export interface ProjectView {
  name: string;
  namespace: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export interface CredentialView {
  id: string;
  name: string;
  description: string | null;
  type: CredentialType;
  scope: CredentialScope;
  project: string | null;
  source: 'new-secret' | 'existing-secret';
  existingSecret: string | null;
  values: Record<string, string> | null;
  keyId: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

/** Where a credential stands in one namespace of the cluster (GET of one credential or project). */
export interface DeliveryStatusView {
  namespace: string;
  credentialId: string;
  credential: string;
  state: 'synced' | 'pending' | 'error';
  message: string | null;
  syncedAt: string | null;
}

export interface CredentialCreateBody {
  name: string;
  description?: string;
  type: CredentialType;
  scope: CredentialScope;
  project?: string;
  values?: Record<string, string>;
  existingSecret?: string;
}

export interface SecretView {
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  keys: string[];
  usedBy: string | null;
  source: 'api' | 'kubernetes';
  createdAt: string;
}

export interface SecretCreateBody {
  namespace: string;
  name: string;
  type?: string;
  labels?: Record<string, string>;
  data: Record<string, string>;
}

export interface AccountView {
  name: string;
  email: string | null;
  type: AccountType;
  state: AccountState;
  created_at: string;
  last_updated: string;
  /** Only while the account is being deleted: what the reaper has left, per resource type. */
  remaining?: Record<string, number> | null;
}

export interface AdminUserView {
  username: string;
  account: string;
  type: string;
  staff: boolean;
  superuser: boolean;
  created_at: string;
  last_updated: string;
}

/** A user of one account (GET /v1/accounts/{account}/users). */
export interface UserView {
  username: string;
  type: string;
  source: string | null;
  created_at: string;
  last_updated: string;
}

/** One record of the audit log (GET /v1/admin/audit). */
export interface AuditRecordView {
  seq: number;
  id: string;
  at: string;
  actor: { username?: string; account?: string; tokenId?: string; tokenKind?: 'api' | 'session'; system?: string };
  address: string | null;
  requestId: string | null;
  action: string;
  resource: { type: string; id?: string; account?: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  result: { outcome: 'success' | 'failure'; status?: number; code?: string };
  hash: string;
}

export interface TokenView {
  id: string;
  name: string;
  username: string;
  account: string;
  readOnly: boolean;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

/** The ~/.keyward file a command-line client reads. */
export interface KeywardFile {
  registry: { token: string; username: string; base: string };
}

export interface CreatedTokenView extends TokenView {
  token: string;
  keyward: KeywardFile;
}

export interface TokenCreateBody {
  name: string;
  expiresInDays?: number;
  readOnly?: boolean;
}

/** The fields of each credential type's new secret; secret ones are typed as passwords and never shown back. */
export const CREDENTIAL_TYPES: readonly {
  type: CredentialType;
  label: string;
  fields: readonly { field: string; label: string; secret: boolean }[];
}[] = [
  {
    type: 'docker-registry',
    label: 'Docker registry',
    fields: [
      { field: 'url', label: 'Registry URL', secret: false },
      { field: 'username', label: 'Username', secret: false },
      { field: 'password', label: 'Password', secret: true },
    ],
  },
  {
    type: 'access-key',
    label: 'Access key',
    fields: [
      { field: 'accessKeyId', label: 'Access key ID', secret: false },
      { field: 'secretAccessKey', label: 'Secret access key', secret: true },
    ],
  },
  {
    type: 'password',
    label: 'Username & password',
    fields: [
      { field: 'username', label: 'Username', secret: false },
      { field: 'password', label: 'Password', secret: true },
    ],
  },
  { type: 'kubernetes-secret', label: 'Kubernetes secret', fields: [] },
];

export function credentialTypeLabel(type: string): string {
  return CREDENTIAL_TYPES.find((entry) => entry.type === type)?.label ?? type;
}

/** Where an existing secret may be used (the labels the credentials service reads). */
export const CLUSTER_WIDE_NAMESPACE = 'keyward';
export const CLUSTER_WIDE_LABEL = 'keyward.io/cluster-wide-credentials';
export const PROJECT_LABEL = 'keyward.io/credentials';

export function isSecretAvailable(secret: Pick<SecretView, 'namespace' | 'labels'>, projectNamespace: string | null): boolean {
  if (secret.namespace === CLUSTER_WIDE_NAMESPACE && secret.labels[CLUSTER_WIDE_LABEL] === 'true') {
    return true;
  }
  return projectNamespace !== null && secret.namespace === projectNamespace && secret.labels[PROJECT_LABEL] === 'true';
}
