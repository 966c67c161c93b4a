import { Logger } from '@nestjs/common';
import { type V1Secret } from '@kubernetes/client-node';
import { AccountState, CredentialScope, DeliveryState, DomainError, ErrorCode, MANAGED_BY, MANAGED_BY_LABEL, StoredCredentialType } from '@keyward/domain';
import { type EventBus, type KeyRing, type Metrics, type RpcClient } from '@keyward/nest-common';
import { type CredentialsConfig } from '../config';
import { type KubernetesDiscoveryService } from '../kubernetes/kubernetes-discovery.service';
import { type DeliveryTarget, managedLabels } from './delivery-plan';
import { type DeliveryOutcome, type DeliveryRepository, type RecordedDelivery } from './delivery.repository';
import { DeliveryService } from './delivery.service';

/**
 * The cluster of these tests: Secrets by namespace/name, the API calls the service makes, and
 * failures to answer with. The official client (an ES module Jest cannot load as CommonJS), the
 * PostgreSQL lease and discovery are replaced by it; the lease is granted at once.
 */
interface ApiFailure {
  code: number;
}
const cluster = {
  secrets: new Map<string, V1Secret>(),
  calls: [] as string[],
  fail: new Map<string, ApiFailure>(),
  reset(): void {
    this.secrets.clear();
    this.calls = [];
    this.fail.clear();
  },
};
function call(verb: string, namespace: string, name: string): void {
  cluster.calls.push(`${verb} ${namespace}/${name}`);
  const failure = cluster.fail.get(`${verb} ${namespace}/${name}`) ?? cluster.fail.get(`${verb} *`);
  if (failure) throw Object.assign(new Error(`HTTP ${failure.code}`), failure);
}
const key = (namespace = '', name = '') => `${namespace}/${name}`;
const fakeApi = {
  listSecretForAllNamespaces: ({ labelSelector }: { labelSelector: string }) => {
    call('list', '*', '*');
    const wanted = labelSelector.split(',').map((pair) => pair.split('='));
    return Promise.resolve({ items: [...cluster.secrets.values()].filter((s) => wanted.every(([k, v]) => s.metadata?.labels?.[k] === v)) });
  },
  createNamespacedSecret: ({ namespace, body }: { namespace: string; body: V1Secret }) => {
    call('create', namespace, body.metadata?.name ?? '');
    if (cluster.secrets.has(key(namespace, body.metadata?.name))) return Promise.reject(Object.assign(new Error('HTTP 409'), { code: 409 }));
    cluster.secrets.set(key(namespace, body.metadata?.name), { ...body, metadata: { ...body.metadata, resourceVersion: '1' } });
    return Promise.resolve(body);
  },
  replaceNamespacedSecret: ({ namespace, name, body }: { namespace: string; name: string; body: V1Secret }) => {
    call('replace', namespace, name);
    cluster.secrets.set(key(namespace, name), body);
    return Promise.resolve(body);
  },
  readNamespacedSecret: ({ namespace, name }: { namespace: string; name: string }) => {
    call('read', namespace, name);
    return Promise.resolve(cluster.secrets.get(key(namespace, name)));
  },
  deleteNamespacedSecret: ({ namespace, name }: { namespace: string; name: string }) => {
    call('delete', namespace, name);
    if (!cluster.secrets.delete(key(namespace, name))) return Promise.reject(Object.assign(new Error('HTTP 404'), { code: 404 }));
    return Promise.resolve({});
  },
};

jest.mock('./kubernetes-cluster', () => ({
  KubernetesCluster: class {
    readonly api = fakeApi;
    watch() {
      const managed = () => [...cluster.secrets.values()].filter((s) => s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY);
      return {
        start: () => Promise.resolve(),
        stop: () => Promise.resolve(),
        list: managed,
        get: (namespace: string, name: string) => managed().find((s) => s.metadata?.namespace === namespace && s.metadata?.name === name),
      };
    }
  },
}));
jest.mock('./delivery-lease', () => ({
  DeliveryLease: class {
    constructor(
      _url: string,
      private readonly handlers: { acquired: () => void },
    ) {}
    start() {
      this.handlers.acquired();
    }
    stop() {
      return Promise.resolve();
    }
  },
}));
jest.mock('../kubernetes/kubernetes-discovery.service', () => ({ KubernetesDiscoveryService: class {} }));

const acme = '00000000-0000-4000-8000-0000000000a1';
const other = '00000000-0000-4000-8000-0000000000b2';
const credentialId = '00000000-0000-4000-8000-0000000000c3';
const updatedAt = new Date('2026-12-01T10:00:00.000Z');

function target(overrides: Partial<DeliveryTarget> = {}): DeliveryTarget {
  return {
    credentialId,
    credentialName: 'db-login',
    type: StoredCredentialType.Password,
    scope: CredentialScope.Project,
    namespace: 'keyward-ml',
    updatedAt,
    valuesSealed: 'v1.k1.sealed',
    secretId: null,
    secretNamespace: null,
    secretType: null,
    secretDataSealed: null,
    ...overrides,
  };
}

/** The Secret Keyward writes for `target()`: the password type's keys, base64. */
function delivered(overrides: Partial<V1Secret> = {}): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-login', namespace: 'keyward-ml', labels: managedLabels(acme, credentialId), resourceVersion: '7' },
    type: 'Opaque',
    data: { username: Buffer.from('app').toString('base64'), password: Buffer.from('p@ss-123').toString('base64') },
    ...overrides,
  };
}

interface World {
  state?: AccountState | 'gone';
  purging?: boolean;
  targets?: DeliveryTarget[];
  recorded?: Map<string, RecordedDelivery>;
  kubeconfig?: string;
}

/** The service, leading, after its first pass over an empty cluster: each test fills the cluster after it. */
async function started(world: World = {}) {
  const record = jest.fn((_accountId: string, _outcomes: DeliveryOutcome[]) => Promise.resolve());
  const targets = jest.fn(() => Promise.resolve(world.targets ?? [target()]));
  const deliveries = {
    targets,
    record,
    isPurging: () => Promise.resolve(world.purging ?? false),
    recorded: () => Promise.resolve(world.recorded ?? new Map()),
    takeQueued: () => Promise.resolve([]),
    hasQueued: () => Promise.resolve(false),
    accountsToResync: () => Promise.resolve([]),
    queuedCount: () => Promise.resolve(0),
    errorCount: () => Promise.resolve(0),
    forCredential: jest.fn(() => Promise.resolve([])),
  } as unknown as DeliveryRepository;
  const rpc = {
    send: (_subject: string, request: { accountId: string }) =>
      world.state === 'gone'
        ? Promise.reject(new DomainError(ErrorCode.AccountNotFound, 'Account not found'))
        : Promise.resolve({ id: request.accountId, name: 'acme', state: world.state ?? AccountState.Enabled }),
  } as unknown as RpcClient;
  const open = jest.fn((_sealed: string, _context: string) => JSON.stringify({ username: 'app', password: 'p@ss-123' }));
  const metrics = { histogram: () => ({ observe: () => undefined }), gauge: () => undefined } as unknown as Metrics;
  const service = new DeliveryService(
    {
      KEYWARD_KUBECONFIG: 'kubeconfig' in world ? world.kubeconfig : '/etc/keyward/kubeconfig',
      DATABASE_URL: 'postgres://unused',
      KEYWARD_DELIVERY_DENIED_NAMESPACES: 'kube-system, default',
      KEYWARD_KUBERNETES_SYNC_SECONDS: 300,
    } as CredentialsConfig,
    deliveries,
    { open } as unknown as KeyRing,
    rpc,
    { subscribe: () => ({ unsubscribe: () => undefined }) } as unknown as EventBus,
    { watch: () => Promise.resolve(), unwatch: () => Promise.resolve(), sync: () => Promise.resolve(undefined) } as unknown as KubernetesDiscoveryService,
    metrics,
  );
  service.onApplicationBootstrap();
  leaders.push(service);
  // The lease is granted at once; let the leader's first pass go by before the test fills the cluster.
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
  cluster.calls = [];
  return { service, record, targets, open, outcomes: () => record.mock.calls.at(-1)?.[1] ?? [] };
}

/** Every service started by a test, shut down after it (its loop and lease end). */
const leaders: DeliveryService[] = [];
beforeAll(() => Logger.overrideLogger(false));
beforeEach(() => cluster.reset());
afterEach(async () => {
  for (const service of leaders.splice(0)) await service.onApplicationShutdown();
});

describe('DeliveryService.reconcile', () => {
  it('writes a credential into its project’s namespace as a labelled Secret and records it synced at its version', async () => {
    const { service, open, outcomes } = await started();
    await service.reconcile(acme);
    expect(cluster.calls).toEqual(['create keyward-ml/db-login']);
    const written = cluster.secrets.get('keyward-ml/db-login');
    expect(written?.metadata?.labels).toEqual(managedLabels(acme, credentialId));
    expect(Buffer.from(written?.data?.password ?? '', 'base64').toString()).toBe('p@ss-123');
    expect(open).toHaveBeenCalledWith('v1.k1.sealed', `credential:${credentialId}`);
    expect(outcomes()).toEqual([{ credentialId, namespace: 'keyward-ml', state: DeliveryState.Synced, message: null, version: updatedAt }]);
  });

  it('leaves a Secret that already holds exactly what it would write untouched', async () => {
    const { service, outcomes } = await started();
    cluster.secrets.set('keyward-ml/db-login', delivered());
    await service.reconcile(acme);
    expect(cluster.calls).toEqual([]);
    expect(outcomes()[0].state).toBe(DeliveryState.Synced);
  });

  it('puts back a Secret changed in the cluster, replacing only the version it saw', async () => {
    const { service } = await started();
    cluster.secrets.set('keyward-ml/db-login', delivered({ data: { password: Buffer.from('tampered').toString('base64') } }));
    await service.reconcile(acme);
    expect(cluster.calls).toEqual(['replace keyward-ml/db-login']);
    const repaired = cluster.secrets.get('keyward-ml/db-login');
    expect(repaired?.metadata?.resourceVersion).toBe('7');
    expect(Buffer.from(repaired?.data?.password ?? '', 'base64').toString()).toBe('p@ss-123');
  });

  it('leaves alone a Secret of that name it did not write, and records why on the delivery', async () => {
    const theirs: V1Secret = { metadata: { name: 'db-login', namespace: 'keyward-ml', labels: { team: 'ml' } }, type: 'Opaque', data: { x: 'eQ==' } };
    const { service, outcomes } = await started();
    cluster.secrets.set('keyward-ml/db-login', theirs);
    await service.reconcile(acme);
    expect(cluster.calls).toEqual(['create keyward-ml/db-login', 'read keyward-ml/db-login']);
    expect(cluster.secrets.get('keyward-ml/db-login')).toBe(theirs);
    expect(outcomes()[0]).toMatchObject({ state: DeliveryState.Error, message: expect.stringContaining('was not written by Keyward') as unknown });
  });

  it('records a refused write as an error that says what to grant, never with the values, and goes on with the next', async () => {
    cluster.fail.set('create keyward-ml/db-login', { code: 403 });
    const { service, outcomes } = await started({ targets: [target(), target({ namespace: 'keyward-web' })] });
    await expect(service.reconcile(acme)).resolves.toBeUndefined();
    const [web, ml] = [...outcomes()].sort((a, b) => b.namespace.localeCompare(a.namespace));
    expect(ml).toMatchObject({
      namespace: 'keyward-ml',
      state: DeliveryState.Error,
      message: expect.stringMatching(/^forbidden: .*namespace keyward-ml/) as unknown,
    });
    expect(web).toMatchObject({ namespace: 'keyward-web', state: DeliveryState.Synced });
    expect(JSON.stringify(outcomes())).not.toContain('p@ss-123');
  });

  it('writes nothing into a denied namespace and says which setting denies it', async () => {
    const { service, outcomes } = await started({ targets: [target({ namespace: 'default' })] });
    await service.reconcile(acme);
    expect(cluster.calls).toEqual([]);
    expect(outcomes()[0]).toMatchObject({ state: DeliveryState.Error, message: expect.stringContaining('KEYWARD_DELIVERY_DENIED_NAMESPACES') as unknown });
  });

  it('removes a Secret no credential of its account goes to any more, and never another account’s', async () => {
    const { service } = await started();
    cluster.secrets.set('keyward-ml/old', delivered({ metadata: { name: 'old', namespace: 'keyward-ml', labels: managedLabels(acme, 'gone') } }));
    cluster.secrets.set('keyward-ml/theirs', delivered({ metadata: { name: 'theirs', namespace: 'keyward-ml', labels: managedLabels(other, 'x') } }));
    await service.reconcile(acme);
    expect(cluster.calls.sort()).toEqual(['create keyward-ml/db-login', 'delete keyward-ml/old']);
    expect(cluster.secrets.has('keyward-ml/theirs')).toBe(true);
  });

  it('freezes a disabled account: nothing written, repaired, removed or recorded', async () => {
    const { service, record, targets } = await started({ state: AccountState.Disabled });
    cluster.secrets.set('keyward-ml/old', delivered({ metadata: { name: 'old', namespace: 'keyward-ml', labels: managedLabels(acme, 'gone') } }));
    await service.reconcile(acme);
    expect(cluster.calls).toEqual([]);
    expect(targets).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
  });

  it('removes every Secret of an account that is gone or being purged, without opening any value', async () => {
    for (const world of [{ state: 'gone' as const }, { purging: true }]) {
      cluster.reset();
      const { service, record, targets, open } = await started(world);
      cluster.secrets.set('keyward-ml/db-login', delivered());
      await service.reconcile(acme);
      expect(cluster.calls).toEqual(['delete keyward-ml/db-login']);
      expect(targets).not.toHaveBeenCalled();
      expect(open).not.toHaveBeenCalled();
      expect(record).not.toHaveBeenCalled();
    }
  });
});

describe('DeliveryService.removeAccountSecrets (the purge, on any replica)', () => {
  it('deletes each Secret of the account and answers how many are left: a Secret already gone counts as deleted', async () => {
    const { service } = await started();
    cluster.secrets.set('a/one', delivered({ metadata: { name: 'one', namespace: 'a', labels: managedLabels(acme, '1') } }));
    cluster.secrets.set('b/two', delivered({ metadata: { name: 'two', namespace: 'b', labels: managedLabels(acme, '2') } }));
    cluster.secrets.set('c/three', delivered({ metadata: { name: 'three', namespace: 'c', labels: managedLabels(other, '3') } }));
    cluster.fail.set('delete b/two', { code: 500 });
    expect(await service.removeAccountSecrets(acme)).toBe(1);
    expect(cluster.secrets.has('a/one')).toBe(false);
    expect(cluster.secrets.has('c/three')).toBe(true);
    cluster.fail.clear();
    cluster.secrets.delete('b/two');
    expect(await service.removeAccountSecrets(acme)).toBe(0);
  });

  it('answers at least one left when the cluster cannot be listed, so the account is not reported gone', async () => {
    cluster.fail.set('list *', { code: 503 });
    const { service } = await started();
    expect(await service.removeAccountSecrets(acme)).toBe(1);
  });

  it('answers none left, and no status, when no cluster is configured', async () => {
    const { service, record } = await started({ kubeconfig: undefined });
    expect(await service.removeAccountSecrets(acme)).toBe(0);
    expect(await service.statusOfCredential(acme, credentialId)).toBeNull();
    await service.reconcile(acme);
    expect(record).not.toHaveBeenCalled();
    expect(cluster.calls).toEqual([]);
  });
});
