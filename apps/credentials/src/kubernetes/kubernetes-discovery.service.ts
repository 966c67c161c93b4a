import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IdentitySubjects } from '@keyward/contracts';
import { CLUSTER_WIDE_LABEL, PROJECT_LABEL, SYSTEM_PRINCIPAL } from '@keyward/domain';
import { KeyRing, RpcClient } from '@keyward/nest-common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountWrites } from '../accounts/account-writes';
import { CredentialsConfig } from '../config';
import { secretContext } from '../secrets/secret-context';
import { SecretEntity } from '../secrets/secret.entity';
import { SecretRepository } from '../secrets/secret.repository';
import { type KubernetesCluster, type SecretWatch } from '../delivery/kubernetes-cluster';
import { type DiscoveredSecret, discoveredSecrets } from './discovered-secrets';

export interface SyncResult {
  upserted: number;
  removed: number;
}

/** How long discovery waits after a change in the cluster before applying it (changes in a burst are applied once). */
const SETTLE_MS = 200;
/** After a failed sync (the account not created yet, identity away). */
const RETRY_MS = 5_000;

/**
 * Keeps the inventory in step with the cluster: labelled secrets appear (source `kubernetes`),
 * change, and go when they leave the cluster, unless a credential still uses them. Secrets
 * registered through the API are never touched. The replica that holds the delivery lease
 * watches the labelled secrets with informers (`watch`), applies every change within moments, and
 * applies the whole set again at every resync.
 */
@Injectable()
export class KubernetesDiscoveryService {
  private readonly logger = new Logger(KubernetesDiscoveryService.name);
  private watches: SecretWatch[] = [];
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;

  constructor(
    @Inject(CredentialsConfig) private readonly config: CredentialsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rpc: RpcClient,
    private readonly keyRing: KeyRing,
    private readonly secretRows: SecretRepository,
  ) {}

  /** Starts watching both labels (when an account is configured to receive what is found) and applies the first lists. */
  async watch(cluster: KubernetesCluster): Promise<void> {
    if (!this.config.KEYWARD_KUBERNETES_ACCOUNT || this.watches.length > 0) return;
    this.watches = [CLUSTER_WIDE_LABEL, PROJECT_LABEL].map((label) =>
      cluster.watch(`${label}=true`, {
        changed: () => this.settle(),
        failed: (error, retryInMs) =>
          this.logger.warn(
            `Watching secrets labelled ${label} failed, resuming in ${retryInMs} ms: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
          ),
      }),
    );
    await Promise.all(this.watches.map((watch) => watch.start()));
    await this.sync();
  }

  async unwatch(): Promise<void> {
    clearTimeout(this.timer);
    const watches = this.watches;
    this.watches = [];
    await Promise.all(watches.map((watch) => watch.stop()));
  }

  private settle(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sync(), SETTLE_MS);
  }

  /** Applies what the watches hold now; a change arriving meanwhile is applied right after. */
  async sync(): Promise<SyncResult | undefined> {
    if (this.watches.length === 0) return undefined;
    if (this.running) {
      this.again = true;
      return undefined;
    }
    this.running = true;
    try {
      const account = await this.rpc.send(IdentitySubjects.accountResolve, {
        principal: SYSTEM_PRINCIPAL,
        account: this.config.KEYWARD_KUBERNETES_ACCOUNT ?? '',
      });
      const discovered = discoveredSecrets(this.watches.flatMap((watch) => watch.list()));
      const result = await this.apply(account.id, discovered);
      this.logger.log(
        `Kubernetes discovery for account ${account.name}: ${discovered.length} labelled secret(s), ${result.upserted} stored, ${result.removed} removed`,
      );
      return result;
    } catch (error: unknown) {
      this.logger.warn(`Kubernetes secret discovery failed, trying again in ${RETRY_MS} ms: ${error instanceof Error ? error.message : String(error)}`);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.sync(), RETRY_MS);
      return undefined;
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.settle();
      }
    }
  }

  private apply(accountId: string, discovered: DiscoveredSecret[]): Promise<SyncResult> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await AccountWrites.holdAgainstPurge(manager, accountId))) {
        return { upserted: 0, removed: 0 };
      }
      const secrets = manager.getRepository(SecretEntity);
      let upserted = 0;
      for (const found of discovered) {
        const existing = await secrets.findOneBy({ accountId, namespace: found.namespace, name: found.name });
        if (existing && existing.source !== 'kubernetes') continue;
        const id = existing?.id ?? randomUUID();
        await secrets.save(
          secrets.create({
            id,
            accountId,
            namespace: found.namespace,
            name: found.name,
            type: found.type,
            labels: found.labels,
            dataKeys: Object.keys(found.data).sort(),
            dataSealed: this.keyRing.seal(JSON.stringify(found.data), secretContext(id)),
            source: 'kubernetes',
          }),
        );
        upserted += 1;
      }
      const keep = discovered.map((found) => `${found.namespace}/${found.name}`);
      return { upserted, removed: await this.secretRows.removeDiscoveredExcept(manager, accountId, keep) };
    });
  }
}
