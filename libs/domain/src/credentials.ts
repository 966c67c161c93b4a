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

/** Kubernetes DNS label: lowercase letters, digits and '-', at most 63, alphanumeric at both ends. */
export const KUBERNETES_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Kubernetes object names (secrets): DNS subdomain, at most 253. */
export const KUBERNETES_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function defaultProjectNamespace(project: string): string {
  return `keyward-${project}`.slice(0, 63).replace(/-+$/, '');
}

export const SECRET_MASK = '********';
