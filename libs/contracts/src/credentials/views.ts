import { type AccountState, type CredentialScope, type DeliveryState, type StoredCredentialType } from '@keyward/domain';

export interface ProjectView {
  name: string;
  namespace: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  /**
   * `GET` of one project only, when a cluster is configured: every credential delivered into the
   * project's namespace and where it stands. Null when no cluster is configured.
   */
  delivery?: DeliveryStatusView[] | null;
}

/** Where one credential stands in one namespace of the cluster. */
export interface DeliveryStatusView {
  namespace: string;
  credentialId: string;
  credential: string;
  state: DeliveryState;
  /** What went wrong (error), what is awaited (pending), or a note; never a value. */
  message: string | null;
  /** When the Secret was last found or written in step with the credential. */
  syncedAt: string | null;
}

/** Metadata only: secret fields are masked, never returned. */
export interface StoredCredentialView {
  id: string;
  name: string;
  description: string | null;
  type: StoredCredentialType;
  scope: CredentialScope;
  project: string | null;
  source: 'new-secret' | 'existing-secret';
  existingSecret: string | null;
  values: Record<string, string> | null;
  keyId: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  /**
   * `GET` of one credential only: its delivery into each namespace its scope reaches, when a
   * cluster is configured (null when not).
   */
  delivery?: DeliveryStatusView[] | null;
}

export interface SecretView {
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  /** Names of the data keys; their values are never returned. */
  keys: string[];
  usedBy: string | null;
  source: 'api' | 'kubernetes';
  createdAt: string;
}

export interface CredentialExportView {
  format: string;
  contentType: string;
  content: string;
}

export interface PurgeView {
  /** `deliveredSecrets`: Secrets written into the cluster for the account that are not deleted yet. */
  remaining: { credentials: number; projects: number; secrets: number; deliveredSecrets: number };
}

export interface AccountScopeView {
  id: string;
  name: string;
}

/** An account's state as identity holds it now (`identity.account.state`). */
export interface AccountStateView extends AccountScopeView {
  state: AccountState;
}
