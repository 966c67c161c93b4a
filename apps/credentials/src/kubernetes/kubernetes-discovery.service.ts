import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IdentitySubjects } from '@keyward/contracts';
import { SYSTEM_PRINCIPAL } from '@keyward/domain';
import { KeyRing, RpcClient } from '@keyward/nest-common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountWrites } from '../accounts/account-writes';
import { CredentialsConfig } from '../config';
import { secretContext } from '../secrets/secrets.service';
import { SecretEntity } from '../secrets/secret.entity';
import { type DiscoveredSecret, KubernetesSecretsSource } from './kubernetes-secrets.source';

export interface SyncResult {
  upserted: number;
  removed: number;
}

/**
 * Keeps the inventory in step with the cluster: labelled secrets appear (source `kubernetes`),
 * change, and go when they leave the cluster, unless a credential still uses them. Secrets
 * registered through the API are never touched.
 */
@Injectable()
export class KubernetesDiscoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KubernetesDiscoveryService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(CredentialsConfig) private readonly config: CredentialsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rpc: RpcClient,
    private readonly keyRing: KeyRing,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.KEYWARD_KUBECONFIG) {
      return;
    }
    const source = new KubernetesSecretsSource(this.config.KEYWARD_KUBECONFIG);
    const tick = () => {
      void this.sync(source).catch((error: unknown) => this.logger.warn(`Kubernetes secret discovery failed: ${error instanceof Error ? error.message : String(error)}`));
    };
    tick();
    this.timer = setInterval(tick, this.config.KEYWARD_KUBERNETES_SYNC_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sync(source: KubernetesSecretsSource): Promise<SyncResult | undefined> {
    if (this.running) return undefined;
    this.running = true;
    try {
      const account = await this.rpc.send(IdentitySubjects.accountResolve, { principal: SYSTEM_PRINCIPAL, account: this.config.KEYWARD_KUBERNETES_ACCOUNT ?? '' });
      const discovered = await source.list();
      const result = await this.apply(account.id, discovered);
      this.logger.log(`Kubernetes discovery for account ${account.name}: ${discovered.length} labelled secret(s), ${result.upserted} stored, ${result.removed} removed`);
      return result;
    } finally {
      this.running = false;
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
      const removed = (await manager.query(
        `DELETE FROM credentials.secrets s
          WHERE s.account_id = $1 AND s.source = 'kubernetes'
            AND NOT (s.namespace || '/' || s.name = ANY($2::text[]))
            AND NOT EXISTS (SELECT 1 FROM credentials.credentials c WHERE c.existing_secret_id = s.id)
          RETURNING s.id`,
        [accountId, keep],
      )) as [unknown[], number];
      return { upserted, removed: Array.isArray(removed[0]) ? removed[0].length : 0 };
    });
  }
}
