import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { wireSubject } from '@keyward/contracts';
import { ensureEventStream, Metrics, RpcClient } from '@keyward/nest-common';
import { JSONCodec } from 'nats';
import { DataSource } from 'typeorm';
import { OutboxRepository } from './outbox.repository';

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
    private readonly outbox: OutboxRepository,
    private readonly rpc: RpcClient,
    metrics: Metrics,
  ) {
    metrics.gauge('keyward_outbox_pending', 'Events written to the outbox and not yet in JetStream', () => this.outbox.pendingCount());
    metrics.gauge('keyward_outbox_lag_seconds', 'Age of the oldest event not yet in JetStream (0: none waiting)', () => this.outbox.lagSeconds());
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
        const rows = await this.outbox.claimPending(manager, BATCH);
        for (const row of rows) {
          await js.publish(wireSubject(row.subject), codec.encode(row.payload), { msgID: `identity-outbox-${row.id}` });
        }
        if (rows.length > 0) {
          await this.outbox.markPublished(
            manager,
            rows.map((row) => row.id),
          );
        }
        return rows.length;
      });
      if (relayed < BATCH) return;
    }
  }
}
