import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type V1Secret } from '@kubernetes/client-node';
import { type DeliveryStatusView, IdentityEvents, IdentitySubjects } from '@keyward/contracts';
import { ACCOUNT_ID_LABEL, AccountState, DeliveryState, DomainError, ErrorCode, MANAGED_BY, MANAGED_BY_LABEL, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { EventBus, KeyRing, Metrics, RpcClient, toRfc3339 } from '@keyward/nest-common';
import { type Subscription } from 'nats';
import { type Histogram } from 'prom-client';
import { CredentialsConfig } from '../config';
import { credentialContext } from '../credentials/credential-context';
import { KubernetesDiscoveryService } from '../kubernetes/kubernetes-discovery.service';
import { secretContext } from '../secrets/secret-context';
import { DeliveryLease } from './delivery-lease';
import { type DeliveryTarget, type DesiredSecret, describeFailure, isManaged, needsWrite, planDelivery, retryDelayMs, statusCodeOf } from './delivery-plan';
import { type DeliveryOutcome, type DeliveryStatusRow, DeliveryRepository, type RecordedDelivery } from './delivery.repository';
import { KubernetesCluster, type SecretWatch } from './kubernetes-cluster';

/** A Secret of that name exists and Keyward did not write it: it is left alone. */
class UnmanagedSecret extends Error {}

const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
/** The longest the delivery loop sleeps without a NOTIFY (a safety net for a missed one). */
const IDLE_MS = 5_000;

function toStatusView(row: DeliveryStatusRow): DeliveryStatusView {
  return {
    namespace: row.namespace,
    credentialId: row.credentialId,
    credential: row.credentialName,
    state: row.state,
    message: row.message ?? (row.state === DeliveryState.Pending ? 'waiting to be written' : null),
    syncedAt: row.syncedAt ? toRfc3339(row.syncedAt) : null,
  };
}

/**
 * Delivers credentials into the namespaces of their projects as Kubernetes Secrets, when a cluster
 * is configured (ADR 14). Every replica can remove an account's Secrets (the purge asks); one
 * replica at a time, holding the PostgreSQL lease, watches the cluster and writes: it brings an
 * account in step when a change of its credentials, projects or secrets is committed (the queue's
 * triggers NOTIFY), when a Secret it wrote is changed or deleted in the cluster (drift, put back and
 * logged), when the account is enabled again, and every KEYWARD_KUBERNETES_SYNC_SECONDS for all.
 * A disabled account is frozen: nothing of it is written, repaired or removed until it is enabled.
 */
@Injectable()
export class DeliveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Delivery');
  private cluster?: KubernetesCluster;
  private lease?: DeliveryLease;
  private managed?: SecretWatch;
  private subscription?: Subscription;
  private resync?: NodeJS.Timeout;
  private leading = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Accounts to bring in step on the next pass. */
  private readonly dirty = new Set<string>();
  /** Accounts with a failure, and when to try them again. */
  private readonly retryAt = new Map<string, number>();
  /** Passes in a row that failed somewhere, per account: the backoff grows with them, and only the first is logged in full. */
  private readonly failures = new Map<string, number>();

  constructor(
    @Inject(CredentialsConfig) private readonly config: CredentialsConfig,
    private readonly deliveries: DeliveryRepository,
    private readonly keyRing: KeyRing,
    private readonly rpc: RpcClient,
    private readonly bus: EventBus,
    private readonly discovery: KubernetesDiscoveryService,
    metrics: Metrics,
  ) {
    this.denied = new Set(
      config.KEYWARD_DELIVERY_DENIED_NAMESPACES.split(',')
        .map((namespace) => namespace.trim())
        .filter(Boolean),
    );
    this.lag = metrics.histogram(
      'keyward_delivery_lag_seconds',
      'Time from a committed change of an account (queued) until its Secrets were brought in step',
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    );
    if (this.enabled) {
      metrics.gauge('keyward_delivery_queued_accounts', 'Accounts whose Secrets wait to be brought in step', () => this.deliveries.queuedCount());
      metrics.gauge('keyward_delivery_errors', 'Credentials in a namespace whose delivery failed (retried with backoff)', () => this.deliveries.errorCount());
    }
  }

  private readonly lag: Histogram;
  /** KEYWARD_DELIVERY_DENIED_NAMESPACES. */
  private readonly denied: ReadonlySet<string>;
  /** When each account waiting for its pass was first queued, for the lag. */
  private readonly queuedAt = new Map<string, number>();

  get enabled(): boolean {
    return this.config.KEYWARD_KUBECONFIG !== undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.config.KEYWARD_KUBECONFIG) return;
    this.cluster = new KubernetesCluster(this.config.KEYWARD_KUBECONFIG);
    this.lease = new DeliveryLease(this.config.DATABASE_URL, {
      acquired: () => void this.lead(),
      lost: () => void this.follow(),
      notified: () => this.nudge(),
    });
    this.lease.start();
    // Identity announces an account's change of state (enabled again: catch up) under its name.
    this.subscription = this.bus.subscribe(IdentityEvents.principalChanged, (event) => {
      if (!this.leading || !event.account || event.usernames || event.tokenIds) return;
      void this.rpc
        .send(IdentitySubjects.accountResolve, { principal: SYSTEM_PRINCIPAL, account: event.account })
        .then((account) => this.queue(account.id))
        .catch(() => undefined);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.follow();
    await this.lease?.stop();
  }

  /** A credential's status in each namespace of its scope; null when no cluster is configured. */
  async statusOfCredential(accountId: string, credentialId: string): Promise<DeliveryStatusView[] | null> {
    return this.enabled ? (await this.deliveries.forCredential(accountId, credentialId)).map(toStatusView) : null;
  }

  /** The status of every credential delivered into a project's namespace; null when no cluster is configured. */
  async statusOfProject(accountId: string, projectId: string): Promise<DeliveryStatusView[] | null> {
    return this.enabled ? (await this.deliveries.forProject(accountId, projectId)).map(toStatusView) : null;
  }

  /**
   * For the purge, on any replica: deletes every Secret delivered for the account, read from the
   * API (not a cache), and answers how many could not be deleted (at least 1 when the cluster
   * cannot be reached): the account is gone only once that is 0.
   */
  async removeAccountSecrets(accountId: string): Promise<number> {
    if (!this.cluster) return 0;
    const api = this.cluster.api;
    let left = 0;
    try {
      const list = await api.listSecretForAllNamespaces({ labelSelector: `${MANAGED_SELECTOR},${ACCOUNT_ID_LABEL}=${accountId}` });
      for (const secret of list.items) {
        const { name = '', namespace = '' } = secret.metadata ?? {};
        await api.deleteNamespacedSecret({ name, namespace }).catch((error: unknown) => {
          if (statusCodeOf(error) === 404) return;
          left += 1;
          this.logger.warn(`Could not delete Secret ${namespace}/${name} of a deleted account: ${describeFailure(error, namespace)}`);
        });
      }
    } catch (error: unknown) {
      this.logger.warn(`Could not list the Secrets of a deleted account: ${describeFailure(error, '')}`);
      return Math.max(left, 1);
    }
    return left;
  }

  private queue(accountId: string): void {
    this.dirty.add(accountId);
    this.nudge();
  }

  private nudge(): void {
    this.wake?.();
  }

  private async lead(): Promise<void> {
    const cluster = this.cluster;
    if (!cluster || this.leading) return;
    this.leading = true;
    this.managed = cluster.watch(MANAGED_SELECTOR, {
      changed: (secret) => {
        const account = secret.metadata?.labels?.[ACCOUNT_ID_LABEL];
        if (account) this.queue(account);
      },
      failed: (error, retryInMs) => this.logger.warn(`Watching delivered Secrets failed, resuming in ${retryInMs} ms: ${describeFailure(error, '')}`),
    });
    await this.managed.start();
    await this.discovery.watch(cluster);
    await this.resyncAll();
    this.resync = setInterval(() => void this.resyncAll(), this.config.KEYWARD_KUBERNETES_SYNC_SECONDS * 1000);
    this.resync.unref();
    this.loop = this.run();
  }

  private async follow(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    clearInterval(this.resync);
    this.nudge();
    await this.loop;
    await this.managed?.stop();
    await this.discovery.unwatch();
    this.managed = undefined;
  }

  /** Every account with credentials, and every account with Secrets in the cluster (left over from one removed meanwhile). */
  private async resyncAll(): Promise<void> {
    void this.discovery.sync();
    try {
      for (const account of await this.deliveries.accountsToResync()) this.dirty.add(account);
      for (const secret of this.managed?.list() ?? []) {
        const account = secret.metadata?.labels?.[ACCOUNT_ID_LABEL];
        if (account) this.dirty.add(account);
      }
      this.nudge();
    } catch (error: unknown) {
      this.logger.warn(`Delivery resync failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async run(): Promise<void> {
    while (this.leading) {
      try {
        for (const { accountId, queuedAt } of await this.deliveries.takeQueued()) {
          this.dirty.add(accountId);
          if (!this.queuedAt.has(accountId)) this.queuedAt.set(accountId, queuedAt.getTime());
        }
      } catch (error: unknown) {
        this.logger.warn(`Reading the delivery queue failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const now = Date.now();
      for (const [account, at] of this.retryAt) {
        if (at <= now) {
          this.retryAt.delete(account);
          this.dirty.add(account);
        }
      }
      const batch = [...this.dirty];
      this.dirty.clear();
      for (const account of batch) {
        if (!this.leading) return;
        await this.reconcile(account).then(
          () => {
            const queued = this.queuedAt.get(account);
            this.queuedAt.delete(account);
            if (queued !== undefined) this.lag.observe(Math.max(0, Date.now() - queued) / 1000);
          },
          (error: unknown) => {
            const failures = (this.failures.get(account) ?? 0) + 1;
            this.failures.set(account, failures);
            if (failures === 1)
              this.logger.warn(`Delivery for account ${account} failed, retrying with backoff: ${error instanceof Error ? error.message : String(error)}`);
            this.retryAt.set(account, Date.now() + retryDelayMs(failures));
          },
        );
      }
      // An account queued again while it was being taken is still queued: take it now.
      if (this.dirty.size > 0 || (await this.deliveries.hasQueued().catch(() => false))) continue;
      const next = Math.min(IDLE_MS, ...[...this.retryAt.values()].map((at) => Math.max(0, at - Date.now())));
      await new Promise<void>((resolvePromise) => {
        const timer = setTimeout(done, next);
        function done(): void {
          clearTimeout(timer);
          resolvePromise();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }

  private open(target: DeliveryTarget): Record<string, string> {
    const sealed = target.valuesSealed
      ? this.keyRing.open(target.valuesSealed, credentialContext(target.credentialId))
      : this.keyRing.open(target.secretDataSealed ?? '', secretContext(target.secretId ?? ''));
    return JSON.parse(sealed) as Record<string, string>;
  }

  /** Brings one account's Secrets in step with its credentials. */
  async reconcile(accountId: string): Promise<void> {
    const managed = this.managed;
    const api = this.cluster?.api;
    if (!managed || !api) return;
    const account = await this.rpc.send(IdentitySubjects.accountState, { principal: SYSTEM_PRINCIPAL, accountId }).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === ErrorCode.AccountNotFound) return null;
      throw error;
    });
    if (account?.state === AccountState.Disabled) return;
    const live = account?.state === AccountState.Enabled && !(await this.deliveries.isPurging(accountId));
    const desired = live ? planDelivery(accountId, await this.deliveries.targets(accountId), (target) => this.open(target), this.denied) : [];
    const recorded = live ? await this.deliveries.recorded(accountId) : new Map<string, RecordedDelivery>();
    const outcomes: DeliveryOutcome[] = [];
    const keep = new Set<string>();
    let attempts = 0;
    for (const secret of desired) {
      const before = recorded.get(`${secret.credentialId}/${secret.namespace}`);
      if (!secret.body) {
        if (secret.note?.state !== 'error') keep.add(`${secret.namespace}/${secret.name}`);
        const state = secret.note?.state === 'error' ? DeliveryState.Error : DeliveryState.Synced;
        outcomes.push({
          credentialId: secret.credentialId,
          namespace: secret.namespace,
          state,
          message: secret.note?.message ?? null,
          version: secret.updatedAt,
        });
        continue;
      }
      keep.add(`${secret.namespace}/${secret.name}`);
      try {
        await this.write(secret, secret.body, before);
        outcomes.push({
          credentialId: secret.credentialId,
          namespace: secret.namespace,
          state: DeliveryState.Synced,
          message: null,
          version: secret.updatedAt,
        });
      } catch (error: unknown) {
        const message = error instanceof UnmanagedSecret ? error.message : describeFailure(error, secret.namespace);
        attempts = Math.max(attempts, (before?.state === DeliveryState.Error ? before.attempts : 0) + 1);
        if (!this.failures.has(accountId)) {
          this.logger.warn(`Delivering credential ${secret.credentialId} into namespace ${secret.namespace} failed: ${message}`);
        }
        outcomes.push({ credentialId: secret.credentialId, namespace: secret.namespace, state: DeliveryState.Error, message, version: secret.updatedAt });
      }
    }
    for (const secret of managed.list()) {
      const { name = '', namespace = '', labels = {} } = secret.metadata ?? {};
      if (labels[ACCOUNT_ID_LABEL] !== accountId || keep.has(`${namespace}/${name}`)) continue;
      try {
        await api.deleteNamespacedSecret({ name, namespace });
        this.logger.log(`Removed Secret ${namespace}/${name}: no credential of its account goes there any more`);
      } catch (error: unknown) {
        if (statusCodeOf(error) === 404) continue;
        attempts = Math.max(attempts, 1);
        if (!this.failures.has(accountId)) this.logger.warn(`Removing Secret ${namespace}/${name} failed: ${describeFailure(error, namespace)}`);
      }
    }
    if (live) await this.deliveries.record(accountId, outcomes);
    if (attempts > 0) {
      const failures = (this.failures.get(accountId) ?? 0) + 1;
      this.failures.set(accountId, failures);
      this.retryAt.set(accountId, Date.now() + retryDelayMs(Math.max(attempts, failures)));
    } else if (this.failures.delete(accountId)) {
      this.logger.log(`Delivery for account ${accountId} is in step again`);
    }
  }

  /** Creates or replaces one Secret, unless the cluster already holds exactly it. */
  private async write(secret: DesiredSecret, body: V1Secret, before: RecordedDelivery | undefined): Promise<void> {
    const api = this.cluster?.api;
    if (!api) return;
    const { namespace, name } = secret;
    const wasInStep = before?.state === DeliveryState.Synced && before.version?.getTime() === secret.updatedAt.getTime();
    const current = this.managed?.get(namespace, name);
    if (current && !needsWrite(current, body)) return;
    if (current) {
      if (wasInStep) this.logger.warn(`Drift repaired: Secret ${namespace}/${name} was changed in the cluster; Keyward put it back`);
      await this.replace(body, current);
      return;
    }
    try {
      await api.createNamespacedSecret({ namespace, body });
      if (wasInStep) this.logger.warn(`Drift repaired: Secret ${namespace}/${name} was deleted in the cluster; Keyward wrote it again`);
    } catch (error: unknown) {
      if (statusCodeOf(error) !== 409) throw error;
      // Written just before (the watch has not shown it yet), or someone else's Secret.
      const existing = await api.readNamespacedSecret({ name, namespace });
      if (!isManaged(existing)) {
        throw new UnmanagedSecret(
          `a Secret named ${name} already exists in namespace ${namespace} and was not written by Keyward: it is left alone (rename the credential, or remove that Secret)`,
        );
      }
      if (needsWrite(existing, body)) {
        await this.replace(body, existing);
      }
    }
  }

  /** Replaces `seen` with `body`, only if nobody changed it since (its resourceVersion): else a 409, retried. */
  private async replace(body: V1Secret, seen: V1Secret): Promise<void> {
    const { name = '', namespace = '' } = body.metadata ?? {};
    await this.cluster?.api.replaceNamespacedSecret({
      name,
      namespace,
      body: { ...body, metadata: { ...body.metadata, resourceVersion: seen.metadata?.resourceVersion } },
    });
  }
}
