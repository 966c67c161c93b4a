import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { wireSubject } from '@keyward/contracts';
import { ensureEventStream, Metrics, RpcClient } from '@keyward/nest-common';
import { JSONCodec } from 'nats';
import { DataSource } from 'typeorm';

const codec = JSONCodec();
const BATCH = 100;
const INTERVAL_MS = 500;

/**
 * Moves outbox rows to JetStream: publish with the row id as message id (JetStream drops a
 * duplicate), then mark the row published. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so
 * replicas share the work; a crash between publish and mark only repeats a deduplicated publish.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rpc: RpcClient,
    metrics: Metrics,
  ) {
    const value = async (sql: string) => ((await this.dataSource.query(sql)) as [{ value: number }])[0].value;
    metrics.gauge('keyward_outbox_pending', 'Events written to the outbox and not yet in JetStream', () =>
      value('SELECT count(*)::int AS value FROM identity.outbox WHERE published_at IS NULL'),
    );
    metrics.gauge('keyward_outbox_lag_seconds', 'Age of the oldest event not yet in JetStream (0: none waiting)', () =>
      value('SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS value FROM identity.outbox WHERE published_at IS NULL'),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureEventStream(await this.rpc.connection().jetstreamManager());
    this.timer = setInterval(() => this.kick(), INTERVAL_MS);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Relays now (after a commit that wrote to the outbox) instead of at the next tick. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.relay()
      .catch((error: unknown) => this.logger.warn(`Outbox relay failed, will retry: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async relay(): Promise<void> {
    const js = this.rpc.connection().jetstream();
    for (;;) {
      const relayed = await this.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT id, subject, payload FROM identity.outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [BATCH],
        )) as Array<{ id: string; subject: string; payload: unknown }>;
        for (const row of rows) {
          await js.publish(wireSubject(row.subject), codec.encode(row.payload), { msgID: `identity-outbox-${row.id}` });
        }
        if (rows.length > 0) {
          await manager.query(`UPDATE identity.outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
        }
        return rows.length;
      });
      if (relayed < BATCH) return;
    }
  }
}
