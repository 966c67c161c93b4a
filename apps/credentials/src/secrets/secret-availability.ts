import { CLUSTER_WIDE_LABEL, CLUSTER_WIDE_NAMESPACE, PROJECT_LABEL } from '@keyward/domain';

/**
 * Whether an existing secret may back a credential for a project in `projectNamespace`
 * (null: a credential of scope `all`). Mirrors the SQL filter in SecretRepository.list.
 */
export function isSecretAvailable(secret: { namespace: string; labels: Record<string, string> }, projectNamespace: string | null): boolean {
  const clusterWide = secret.namespace === CLUSTER_WIDE_NAMESPACE && secret.labels[CLUSTER_WIDE_LABEL] === 'true';
  if (clusterWide) {
    return true;
  }
  return projectNamespace !== null && secret.namespace === projectNamespace && secret.labels[PROJECT_LABEL] === 'true';
}
