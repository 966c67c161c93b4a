import { CoreV1Api, type Informer, KubeConfig, makeInformer, type ObjectCache, type V1Secret } from '@kubernetes/client-node';

/** `KEYWARD_KUBECONFIG=in-cluster`: the service account Kubernetes mounts into the pod. */
export const IN_CLUSTER = 'in-cluster';

export function loadKubeConfig(kubeconfig: string): KubeConfig {
  const config = new KubeConfig();
  if (kubeconfig === IN_CLUSTER) config.loadFromCluster();
  else config.loadFromFile(kubeconfig);
  return config;
}

export interface SecretWatchHandlers {
  /** A Secret matching the selector was added, changed or deleted (also for every item of a relist). */
  changed: (secret: V1Secret, event: 'add' | 'update' | 'delete') => void;
  /** The watch failed and will be started again after `retryInMs`. */
  failed: (error: unknown, retryInMs: number) => void;
}

/**
 * Secrets matching a label selector in every namespace, kept by the official client's informer:
 * one list, then a watch that resumes from the last resourceVersion it saw, and a new list when the
 * server answers 410 Gone. The informer stops on any other error (the API server restarting, a
 * refused token); it is started again here, backing off from 1 s to 30 s, resuming where it was.
 */
export class SecretWatch {
  private readonly informer: Informer<V1Secret> & ObjectCache<V1Secret>;
  private stopped = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;

  constructor(
    config: KubeConfig,
    api: CoreV1Api,
    selector: string,
    private readonly handlers: SecretWatchHandlers,
  ) {
    this.informer = makeInformer(config, '/api/v1/secrets', () => api.listSecretForAllNamespaces({ labelSelector: selector }), selector);
    this.informer.on('add', (secret) => this.seen(secret, 'add'));
    this.informer.on('update', (secret) => this.seen(secret, 'update'));
    this.informer.on('delete', (secret) => this.seen(secret, 'delete'));
    this.informer.on('error', (error: unknown) => {
      if (this.stopped) return;
      this.failures += 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.failures - 1, 5));
      this.handlers.failed(error, delay);
      this.retry = setTimeout(() => void this.informer.start(), delay);
    });
  }

  /** Resolves once the first list is in the cache (or failed: then the retries take over). */
  async start(): Promise<void> {
    await this.informer.start();
  }

  list(): readonly V1Secret[] {
    return this.informer.list();
  }

  get(namespace: string, name: string): V1Secret | undefined {
    return this.informer.get(name, namespace);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.informer.stop();
  }

  private seen(secret: V1Secret, event: 'add' | 'update' | 'delete'): void {
    this.failures = 0;
    this.handlers.changed(secret, event);
  }
}

/** The cluster Keyward delivers to: the API client and its watches. */
export class KubernetesCluster {
  readonly config: KubeConfig;
  readonly api: CoreV1Api;

  constructor(kubeconfig: string) {
    this.config = loadKubeConfig(kubeconfig);
    this.api = this.config.makeApiClient(CoreV1Api);
  }

  watch(selector: string, handlers: SecretWatchHandlers): SecretWatch {
    return new SecretWatch(this.config, this.api, selector, handlers);
  }
}
