import { type V1Secret } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL } from '@keyward/domain';

export interface DiscoveredSecret {
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  data: Record<string, string>;
}

/**
 * The labelled secrets of the cluster, decoded, one per namespace and name. Secrets Keyward
 * delivered itself are not discovered (a copy is never an existing secret).
 */
export function discoveredSecrets(items: V1Secret[]): DiscoveredSecret[] {
  const found = new Map<string, DiscoveredSecret>();
  for (const item of items) {
    const namespace = item.metadata?.namespace;
    const name = item.metadata?.name;
    if (!namespace || !name || item.metadata?.labels?.[MANAGED_BY_LABEL]) continue;
    const data = Object.fromEntries(Object.entries(item.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
    found.set(`${namespace}/${name}`, { namespace, name, type: item.type ?? 'Opaque', labels: item.metadata?.labels ?? {}, data });
  }
  return [...found.values()];
}
