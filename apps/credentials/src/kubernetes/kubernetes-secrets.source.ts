import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { CLUSTER_WIDE_LABEL, PROJECT_LABEL } from '@keyward/domain';

export interface DiscoveredSecret {
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  data: Record<string, string>;
}

/** Lists the labelled secrets of a cluster with the official Kubernetes client. */
export class KubernetesSecretsSource {
  private readonly api: CoreV1Api;

  constructor(kubeconfigPath: string) {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    this.api = config.makeApiClient(CoreV1Api);
  }

  async list(): Promise<DiscoveredSecret[]> {
    const found = new Map<string, DiscoveredSecret>();
    for (const label of [CLUSTER_WIDE_LABEL, PROJECT_LABEL]) {
      const list = await this.api.listSecretForAllNamespaces({ labelSelector: `${label}=true` });
      for (const item of list.items) {
        const namespace = item.metadata?.namespace;
        const name = item.metadata?.name;
        if (!namespace || !name) continue;
        const data = Object.fromEntries(Object.entries(item.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
        found.set(`${namespace}/${name}`, { namespace, name, type: item.type ?? 'Opaque', labels: item.metadata?.labels ?? {}, data });
      }
    }
    return [...found.values()];
  }
}
