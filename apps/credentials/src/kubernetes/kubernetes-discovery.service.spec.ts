import { Logger } from '@nestjs/common';
import { type V1Secret } from '@kubernetes/client-node';
import { CLUSTER_WIDE_LABEL, DomainError, ErrorCode, MANAGED_BY, MANAGED_BY_LABEL, PROJECT_LABEL } from '@keyward/domain';
import { type KeyRing, type RpcClient } from '@keyward/nest-common';
import { type DataSource, type EntityManager } from 'typeorm';
import { AccountWrites } from '../accounts/account-writes';
import { type CredentialsConfig } from '../config';
import { type KubernetesCluster, type SecretWatchHandlers } from '../delivery/kubernetes-cluster';
import { type SecretEntity } from '../secrets/secret.entity';
import { type SecretRepository } from '../secrets/secret.repository';
import { KubernetesDiscoveryService } from './kubernetes-discovery.service';

const accountId = '00000000-0000-4000-8000-0000000000a1';
const b64 = (value: string) => Buffer.from(value).toString('base64');

function clusterSecret(namespace: string, name: string, labels: Record<string, string>, data: Record<string, string> = { token: 't0ken' }): V1Secret {
  return { metadata: { namespace, name, labels }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) };
}

/**
 * Discovery over a fake cluster (one list per label selector) and a fake inventory: rows by
 * namespace/name, a purge mark, and the repository's removal of what left the cluster.
 */
function discovery(options: { account?: string; purging?: boolean; stored?: Array<Partial<SecretEntity>> } = {}) {
  const inCluster: V1Secret[] = [];
  const selectors: string[] = [];
  const handlers: SecretWatchHandlers[] = [];
  const cluster = {
    watch: (selector: string, handler: SecretWatchHandlers) => {
      selectors.push(selector);
      handlers.push(handler);
      const [label] = selector.split('=');
      return {
        start: jest.fn(() => Promise.resolve()),
        stop: jest.fn(() => Promise.resolve()),
        list: () => inCluster.filter((secret) => secret.metadata?.labels?.[label] === 'true'),
      };
    },
  } as unknown as KubernetesCluster;
  const rows = new Map<string, Partial<SecretEntity>>((options.stored ?? []).map((row) => [`${row.namespace}/${row.name}`, row]));
  const saved: Array<Partial<SecretEntity>> = [];
  // The purge's lock and mark are AccountWrites' (tested with the purge against PostgreSQL): here, only their answer.
  jest.spyOn(AccountWrites, 'holdAgainstPurge').mockImplementation(() => Promise.resolve(!options.purging));
  const manager = {
    getRepository: () => ({
      findOneBy: (where: { namespace: string; name: string }) => Promise.resolve(rows.get(`${where.namespace}/${where.name}`) ?? null),
      create: (row: Partial<SecretEntity>) => row,
      save: (row: Partial<SecretEntity>) => {
        saved.push(row);
        rows.set(`${row.namespace}/${row.name}`, row);
        return Promise.resolve(row);
      },
    }),
  } as unknown as EntityManager;
  const dataSource = { transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as DataSource;
  const resolve = jest.fn((_subject: string, _request: unknown) => Promise.resolve({ id: accountId, name: 'platform' }));
  const removeDiscoveredExcept = jest.fn((_manager: EntityManager, _account: string, keep: string[]) => Promise.resolve(keep.length === 0 ? 0 : 1));
  const seal = jest.fn((plain: string, context: string) => `sealed(${context}:${plain})`);
  const service = new KubernetesDiscoveryService(
    { KEYWARD_KUBERNETES_ACCOUNT: 'account' in options ? options.account : 'platform' } as CredentialsConfig,
    dataSource,
    { send: resolve } as unknown as RpcClient,
    { seal } as unknown as KeyRing,
    { removeDiscoveredExcept } as unknown as SecretRepository,
  );
  return { service, cluster, inCluster, selectors, handlers, saved, resolve, removeDiscoveredExcept, seal, manager };
}

describe('KubernetesDiscoveryService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.useRealTimers());

  it('watches nothing and stores nothing when no account is configured to receive what it finds', async () => {
    const { service, cluster, selectors, resolve } = discovery({ account: undefined });
    await service.watch(cluster);
    expect(selectors).toEqual([]);
    expect(await service.sync()).toBeUndefined();
    expect(resolve).not.toHaveBeenCalled();
  });

  it('stores each labelled secret once, decoded and sealed bound to its own id, with its keys sorted and source kubernetes', async () => {
    const { service, cluster, inCluster, selectors, saved, seal, removeDiscoveredExcept } = discovery();
    const both = { [CLUSTER_WIDE_LABEL]: 'true', [PROJECT_LABEL]: 'true' };
    inCluster.push(clusterSecret('keyward', 'shared-registry', both, { username: 'u', password: 'p@ss' }));
    await service.watch(cluster);
    expect(selectors).toEqual([`${CLUSTER_WIDE_LABEL}=true`, `${PROJECT_LABEL}=true`]);
    expect(saved).toHaveLength(1);
    const [row] = saved;
    expect(row).toMatchObject({ accountId, namespace: 'keyward', name: 'shared-registry', source: 'kubernetes', dataKeys: ['password', 'username'] });
    expect(seal).toHaveBeenCalledWith(JSON.stringify({ username: 'u', password: 'p@ss' }), `secret:${row.id}`);
    expect(JSON.stringify(saved)).not.toContain(b64('p@ss'));
    expect(removeDiscoveredExcept.mock.calls[0][2]).toEqual(['keyward/shared-registry']);
    await service.unwatch();
  });

  it('never takes in a Secret Keyward delivered itself, nor overwrites one registered through the API', async () => {
    const registered = { id: 'api-1', accountId, namespace: 'team-a', name: 'db', source: 'api' as const };
    const { service, cluster, inCluster, saved, removeDiscoveredExcept } = discovery({ stored: [registered] });
    inCluster.push(clusterSecret('team-a', 'copy', { [PROJECT_LABEL]: 'true', [MANAGED_BY_LABEL]: MANAGED_BY }));
    inCluster.push(clusterSecret('team-a', 'db', { [PROJECT_LABEL]: 'true' }));
    await service.watch(cluster);
    expect(saved).toEqual([]);
    // Kept by name: the repository removes only rows of source kubernetes outside this list.
    expect(removeDiscoveredExcept.mock.calls[0][2]).toEqual(['team-a/db']);
    await service.unwatch();
  });

  it('keeps the id of a secret it found before, so credentials that use it keep it, and seals the new data to that id', async () => {
    const known = { id: 'k8s-1', accountId, namespace: 'team-a', name: 'registry', source: 'kubernetes' as const };
    const { service, cluster, inCluster, saved, seal } = discovery({ stored: [known] });
    inCluster.push(clusterSecret('team-a', 'registry', { [PROJECT_LABEL]: 'true' }, { token: 'rotated' }));
    await service.watch(cluster);
    expect(saved[0].id).toBe('k8s-1');
    expect(seal).toHaveBeenCalledWith(JSON.stringify({ token: 'rotated' }), 'secret:k8s-1');
    await service.unwatch();
  });

  it('stores and removes nothing in an account whose purge has begun', async () => {
    const { service, cluster, inCluster, saved, removeDiscoveredExcept } = discovery({ purging: true });
    inCluster.push(clusterSecret('team-a', 'registry', { [PROJECT_LABEL]: 'true' }));
    await service.watch(cluster);
    expect(await service.sync()).toEqual({ upserted: 0, removed: 0 });
    expect(saved).toEqual([]);
    expect(removeDiscoveredExcept).not.toHaveBeenCalled();
    await service.unwatch();
  });

  it('answers nothing and tries again later when the account cannot be resolved, without storing anything', async () => {
    jest.useFakeTimers();
    const { service, cluster, inCluster, saved, resolve } = discovery();
    inCluster.push(clusterSecret('team-a', 'registry', { [PROJECT_LABEL]: 'true' }));
    resolve.mockImplementationOnce(() => Promise.reject(new DomainError(ErrorCode.AccountNotFound, 'Account platform not found')));
    await service.watch(cluster);
    expect(saved).toEqual([]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(saved).toHaveLength(1);
    await service.unwatch();
  });

  it('applies a burst of changes in the cluster once, after it settles', async () => {
    jest.useFakeTimers();
    const { service, cluster, handlers, resolve } = discovery();
    await service.watch(cluster);
    expect(resolve).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i += 1) handlers[i % 2].changed(clusterSecret('team-a', `s${i}`, {}), 'add');
    await jest.advanceTimersByTimeAsync(199);
    expect(resolve).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(resolve).toHaveBeenCalledTimes(2);
    await service.unwatch();
  });

  it('runs one sync at a time: one asked for meanwhile runs after it, not beside it', async () => {
    jest.useFakeTimers();
    const { service, cluster, resolve } = discovery();
    await service.watch(cluster);
    let release: () => void = () => undefined;
    resolve.mockImplementationOnce(() => new Promise((done) => (release = () => done({ id: accountId, name: 'platform' }))));
    const first = service.sync();
    expect(await service.sync()).toBeUndefined();
    expect(resolve).toHaveBeenCalledTimes(2);
    release();
    await first;
    await jest.advanceTimersByTimeAsync(200);
    expect(resolve).toHaveBeenCalledTimes(3);
    await service.unwatch();
  });
});
