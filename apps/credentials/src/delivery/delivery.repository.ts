import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CredentialScope, DeliveryState, type StoredCredentialType } from '@keyward/domain';
import { DataSource } from 'typeorm';
import { type DeliveryTarget } from './delivery-plan';

/** What one delivery attempt found in one namespace. */
export interface DeliveryOutcome {
  credentialId: string;
  namespace: string;
  state: DeliveryState.Synced | DeliveryState.Error;
  message: string | null;
  /** The credential's updated_at the attempt delivered. */
  version: Date;
}

export interface DeliveryStatusRow {
  credentialId: string;
  credentialName: string;
  namespace: string;
  state: DeliveryState;
  message: string | null;
  syncedAt: Date | null;
}

export interface RecordedDelivery {
  state: DeliveryState.Synced | DeliveryState.Error;
  attempts: number;
  version: Date | null;
}

/**
 * The status of a credential in a namespace, from its delivery row (null: never attempted).
 * `version` went through a JavaScript Date: compared at millisecond precision.
 */
const STATE_SQL = `CASE WHEN d.state IS NULL THEN 'pending'
                        WHEN d.state = 'error' THEN 'error'
                        WHEN d.version IS NULL OR d.version < date_trunc('milliseconds', c.updated_at) THEN 'pending'
                        ELSE 'synced' END`;

/** Delivery's reads and writes: the targets of an account, the queue of accounts to bring in step, statuses. */
@Injectable()
export class DeliveryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every credential of the account with every namespace it goes to. */
  async targets(accountId: string): Promise<DeliveryTarget[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.name, c.type, c.scope, p.namespace, c.updated_at, c.values_sealed,
              s.id AS secret_id, s.namespace AS secret_namespace, s.type AS secret_type, s.data_sealed
         FROM credentials.credentials c
         JOIN credentials.projects p ON p.account_id = c.account_id AND (c.scope = 'all' OR p.id = c.project_id)
         LEFT JOIN credentials.secrets s ON s.id = c.existing_secret_id
        WHERE c.account_id = $1`,
      [accountId],
    )) as Array<{
      id: string;
      name: string;
      type: StoredCredentialType;
      scope: CredentialScope;
      namespace: string;
      updated_at: Date;
      values_sealed: string | null;
      secret_id: string | null;
      secret_namespace: string | null;
      secret_type: string | null;
      data_sealed: string | null;
    }>;
    return rows.map((row) => ({
      credentialId: row.id,
      credentialName: row.name,
      type: row.type,
      scope: row.scope,
      namespace: row.namespace,
      updatedAt: row.updated_at,
      valuesSealed: row.values_sealed,
      secretId: row.secret_id,
      secretNamespace: row.secret_namespace,
      secretType: row.secret_type,
      secretDataSealed: row.data_sealed,
    }));
  }

  /** True once the account's purge has begun: nothing of it may stay in the cluster. */
  async isPurging(accountId: string): Promise<boolean> {
    const rows = (await this.dataSource.query('SELECT 1 FROM credentials.purged_accounts WHERE account_id = $1', [accountId])) as unknown[];
    return rows.length > 0;
  }

  /**
   * Takes the queued accounts off the queue, with when each was queued, then waits for every change
   * still committing in them: a change that found its account queued did not queue it again, but
   * holds the account's advisory lock (shared) until it commits, and taking that lock exclusively
   * waits for it. What is read afterwards holds every change the taken rows stand for; a change
   * that comes later finds no row and queues the account anew.
   */
  async takeQueued(limit = 100): Promise<Array<{ accountId: string; queuedAt: Date }>> {
    const rows = (await this.dataSource.query(
      `WITH taken AS (SELECT account_id FROM credentials.delivery_queue ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       DELETE FROM credentials.delivery_queue q USING taken t
        WHERE q.account_id = t.account_id
       RETURNING q.account_id, q.queued_at`,
      [limit],
    )) as [Array<{ account_id: string; queued_at: Date }>, number];
    const taken = rows[0].map((row) => ({ accountId: row.account_id, queuedAt: row.queued_at }));
    for (const { accountId } of taken) {
      // One statement, its own transaction: the lock is held only until it returns.
      await this.dataSource.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [accountId]);
    }
    return taken;
  }

  async hasQueued(): Promise<boolean> {
    return ((await this.dataSource.query('SELECT 1 FROM credentials.delivery_queue LIMIT 1')) as unknown[]).length > 0;
  }

  /** For the metrics: accounts waiting in the queue. */
  async queuedCount(): Promise<number> {
    return ((await this.dataSource.query('SELECT count(*)::int AS n FROM credentials.delivery_queue')) as [{ n: number }])[0].n;
  }

  /** For the metrics: deliveries in error. */
  async errorCount(): Promise<number> {
    return ((await this.dataSource.query(`SELECT count(*)::int AS n FROM credentials.deliveries WHERE state = 'error'`)) as [{ n: number }])[0].n;
  }

  /** Every account with a credential or a delivered Secret: what a full resync looks at. */
  async accountsToResync(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      'SELECT DISTINCT account_id FROM credentials.credentials UNION SELECT DISTINCT account_id FROM credentials.deliveries',
    )) as Array<{ account_id: string }>;
    return rows.map((row) => row.account_id);
  }

  async recorded(accountId: string): Promise<Map<string, RecordedDelivery>> {
    const rows = (await this.dataSource.query('SELECT credential_id, namespace, state, attempts, version FROM credentials.deliveries WHERE account_id = $1', [
      accountId,
    ])) as Array<{ credential_id: string; namespace: string; state: DeliveryState.Synced | DeliveryState.Error; attempts: number; version: Date | null }>;
    return new Map(rows.map((row) => [`${row.credential_id}/${row.namespace}`, { state: row.state, attempts: row.attempts, version: row.version }]));
  }

  /**
   * Records an account's outcomes and forgets the rows of namespaces no longer delivered to. A
   * failure counts one more attempt; a success resets the count. Outcomes of credentials deleted
   * meanwhile are dropped (their rows went with them).
   */
  async record(accountId: string, outcomes: DeliveryOutcome[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `DELETE FROM credentials.deliveries d WHERE d.account_id = $1
            AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::text[]) AS o(credential_id, namespace)
                             WHERE o.credential_id = d.credential_id AND o.namespace = d.namespace)`,
        [accountId, outcomes.map((o) => o.credentialId), outcomes.map((o) => o.namespace)],
      );
      if (outcomes.length === 0) return;
      await manager.query(
        `INSERT INTO credentials.deliveries AS d (credential_id, namespace, account_id, state, message, attempts, synced_at, version, checked_at)
         SELECT o.credential_id, o.namespace, $1, o.state, o.message,
                CASE WHEN o.state = 'error' THEN 1 ELSE 0 END,
                CASE WHEN o.state = 'synced' THEN now() END,
                o.version, now()
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS o(credential_id, namespace, state, message, version)
          WHERE EXISTS (SELECT 1 FROM credentials.credentials c WHERE c.id = o.credential_id)
         ON CONFLICT (credential_id, namespace) DO UPDATE SET
           state = EXCLUDED.state,
           message = EXCLUDED.message,
           attempts = CASE WHEN EXCLUDED.state = 'error' THEN d.attempts + 1 ELSE 0 END,
           -- Unchanged and still in step: keep the time it was first in step with this version.
           synced_at = CASE WHEN EXCLUDED.state = 'error' THEN d.synced_at
                            WHEN d.state = 'synced' AND d.version = EXCLUDED.version THEN d.synced_at
                            ELSE now() END,
           version = CASE WHEN EXCLUDED.state = 'error' THEN d.version ELSE EXCLUDED.version END,
           checked_at = now()`,
        [
          accountId,
          outcomes.map((o) => o.credentialId),
          outcomes.map((o) => o.namespace),
          outcomes.map((o) => o.state),
          outcomes.map((o) => o.message),
          outcomes.map((o) => o.version.toISOString()),
        ],
      );
    });
  }

  /** A credential's status in every namespace its scope reaches, by namespace. */
  async forCredential(accountId: string, credentialId: string): Promise<DeliveryStatusRow[]> {
    return this.statuses('c.account_id = $1 AND c.id = $2', [accountId, credentialId]);
  }

  /** The status of every credential that reaches a project's namespace, by credential name. */
  async forProject(accountId: string, projectId: string): Promise<DeliveryStatusRow[]> {
    return this.statuses('c.account_id = $1 AND p.id = $2', [accountId, projectId]);
  }

  private async statuses(where: string, parameters: unknown[]): Promise<DeliveryStatusRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.id AS credential_id, c.name AS credential_name, p.namespace, ${STATE_SQL} AS state, d.message, d.synced_at
         FROM credentials.credentials c
         JOIN credentials.projects p ON p.account_id = c.account_id AND (c.scope = 'all' OR p.id = c.project_id)
         LEFT JOIN credentials.deliveries d ON d.credential_id = c.id AND d.namespace = p.namespace
        WHERE ${where}
        ORDER BY p.namespace, c.name`,
      parameters,
    )) as Array<{ credential_id: string; credential_name: string; namespace: string; state: DeliveryState; message: string | null; synced_at: Date | null }>;
    return rows.map((row) => ({
      credentialId: row.credential_id,
      credentialName: row.credential_name,
      namespace: row.namespace,
      state: row.state,
      message: row.message,
      syncedAt: row.synced_at,
    }));
  }
}
