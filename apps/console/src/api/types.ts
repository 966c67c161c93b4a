/**
 * The API's shapes as the console uses them. The replies are the contracts' own view types
 * (`@keyward/contracts`, which the console's tsconfig maps to its type-only entry, so nothing of
 * it reaches the bundle); enums are read as the plain strings the JSON carries. What is here
 * besides is the console's own: the session it keeps, the bodies it sends, and the views the
 * gateway extends (an account with the reaper's `remaining`, a created token with its file).
 */
import {
  type AccountView as ApiAccountView,
  type ApiTokenView,
  type CreatedTokenView as ApiCreatedTokenView,
  type KeywardClientConfig,
  type StoredCredentialView,
} from '@keyward/contracts';
import {
  type AccountState as AccountStates,
  type AccountType as AccountTypes,
  CREDENTIAL_FIELDS,
  type CredentialScope as CredentialScopes,
  StoredCredentialType,
} from '@keyward/domain';

export type { AdminUserView, AuditRecordView, DeliveryStatusView, ProjectView, SecretView, UserView } from '@keyward/contracts';
export { isSecretAvailable } from '@keyward/domain';

export type AccountType = `${AccountTypes}`;
export type AccountState = `${AccountStates}`;

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

export type CredentialType = `${StoredCredentialType}`;
export type CredentialScope = `${CredentialScopes}`;

export type CredentialView = StoredCredentialView;

export interface CredentialCreateBody {
  name: string;
  description?: string;
  type: CredentialType;
  scope: CredentialScope;
  project?: string;
  values?: Record<string, string>;
  existingSecret?: string;
}

export interface SecretCreateBody {
  namespace: string;
  name: string;
  type?: string;
  labels?: Record<string, string>;
  data: Record<string, string>;
}

export interface AccountView extends ApiAccountView {
  /** Only while the account is being deleted: what the reaper has left, per resource type. */
  remaining?: Record<string, number> | null;
}

export type TokenView = ApiTokenView;

/** The ~/.keyward file a command-line client reads. */
export type KeywardFile = KeywardClientConfig;

export interface CreatedTokenView extends ApiCreatedTokenView {
  keyward: KeywardFile;
}

export interface TokenCreateBody {
  name: string;
  expiresInDays?: number;
  readOnly?: boolean;
}

/** How the console names each field of a credential type's new secret (the fields and which are secret are the domain's). */
const FIELD_LABELS: Record<string, string> = {
  url: 'Registry URL',
  username: 'Username',
  password: 'Password',
  accessKeyId: 'Access key ID',
  secretAccessKey: 'Secret access key',
};

const TYPE_LABELS: Record<CredentialType, string> = {
  'docker-registry': 'Docker registry',
  'access-key': 'Access key',
  password: 'Username & password',
  'kubernetes-secret': 'Kubernetes secret',
};

/** The fields of each credential type's new secret; secret ones are typed as passwords and never shown back. */
export const CREDENTIAL_TYPES: readonly {
  type: CredentialType;
  label: string;
  fields: readonly { field: string; label: string; secret: boolean }[];
}[] = Object.values(StoredCredentialType).map((type) => ({
  type,
  label: TYPE_LABELS[type],
  fields:
    type === StoredCredentialType.KubernetesSecret
      ? []
      : CREDENTIAL_FIELDS[type].map(({ field, secret }) => ({ field, label: FIELD_LABELS[field] ?? field, secret })),
}));

export function credentialTypeLabel(type: string): string {
  return CREDENTIAL_TYPES.find((entry) => entry.type === type)?.label ?? type;
}
