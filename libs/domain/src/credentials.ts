/** Kinds of stored credential, as Run:ai's credential manager names them. */
export enum StoredCredentialType {
  DockerRegistry = 'docker-registry',
  AccessKey = 'access-key',
  Password = 'password',
  KubernetesSecret = 'kubernetes-secret',
}

/** A credential serves one project, or every current and future project of its account. */
export enum CredentialScope {
  Project = 'project',
  All = 'all',
}

export enum ExportFormat {
  DockerConfigJson = 'dockerconfigjson',
  KubernetesSecret = 'kubernetes-secret',
  Env = 'env',
}

/** The fields each type's `values` must have; secret ones are never shown back. */
export const CREDENTIAL_FIELDS: Record<Exclude<StoredCredentialType, StoredCredentialType.KubernetesSecret>, { field: string; secret: boolean }[]> = {
  [StoredCredentialType.DockerRegistry]: [
    { field: 'url', secret: false },
    { field: 'username', secret: false },
    { field: 'password', secret: true },
  ],
  [StoredCredentialType.AccessKey]: [
    { field: 'accessKeyId', secret: false },
    { field: 'secretAccessKey', secret: true },
  ],
  [StoredCredentialType.Password]: [
    { field: 'username', secret: false },
    { field: 'password', secret: true },
  ],
};

/** The namespace whose labelled secrets every project of the account may use (Run:ai's `runai`). */
export const CLUSTER_WIDE_NAMESPACE = 'keyward';
export const CLUSTER_WIDE_LABEL = 'keyward.io/cluster-wide-credentials';
export const PROJECT_LABEL = 'keyward.io/credentials';

/**
 * Whether an existing secret may back a credential for a project in `projectNamespace` (null: a
 * credential of scope `all`): a labelled secret of the cluster-wide namespace, or of the
 * project's own. Mirrors the SQL filter of the credentials service's secret list.
 */
export function isSecretAvailable(secret: { namespace: string; labels: Record<string, string> }, projectNamespace: string | null): boolean {
  if (secret.namespace === CLUSTER_WIDE_NAMESPACE && secret.labels[CLUSTER_WIDE_LABEL] === 'true') {
    return true;
  }
  return projectNamespace !== null && secret.namespace === projectNamespace && secret.labels[PROJECT_LABEL] === 'true';
}

/**
 * Labels on every Secret Keyward delivers into a namespace. Only Secrets with MANAGED_BY_LABEL set
 * to MANAGED_BY are ever changed or deleted by Keyward.
 */
export const MANAGED_BY_LABEL = 'keyward.io/managed-by';
export const MANAGED_BY = 'keyward';
export const ACCOUNT_ID_LABEL = 'keyward.io/account-id';
export const CREDENTIAL_ID_LABEL = 'keyward.io/credential-id';

/** Where a credential stands in one namespace of a cluster. */
export enum DeliveryState {
  Synced = 'synced',
  Pending = 'pending',
  Error = 'error',
}

/** Kubernetes DNS label: lowercase letters, digits and '-', at most 63, alphanumeric at both ends. */
export const KUBERNETES_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Kubernetes object names (secrets): DNS subdomain, at most 253. */
export const KUBERNETES_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function defaultProjectNamespace(project: string): string {
  return `keyward-${project}`.slice(0, 63).replace(/-+$/, '');
}

export const SECRET_MASK = '********';
