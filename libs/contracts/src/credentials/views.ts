import { type AccountState, type CredentialScope, type StoredCredentialType } from '@keyward/domain';

export interface ProjectView {
  name: string;
  namespace: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
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
  remaining: { credentials: number; projects: number; secrets: number };
}

export interface AccountScopeView {
  id: string;
  name: string;
}

/** An account's state as identity holds it now (`identity.account.state`). */
export interface AccountStateView extends AccountScopeView {
  state: AccountState;
}
