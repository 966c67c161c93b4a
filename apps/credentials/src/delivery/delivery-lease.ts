import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** The session lock that makes one credentials replica the one writing into the cluster. */
const LEASE_SQL = `SELECT pg_try_advisory_lock(hashtextextended('keyward.credentials.delivery', 0)) AS held`;
export const DELIVERY_CHANNEL = 'keyward_delivery';

export interface LeaseHandlers {
  acquired: () => void;
  lost: () => void;
  /** A change was committed that queued an account (NOTIFY from the queue's triggers). */
  notified: () => void;
}

/**
 * Leadership among credentials replicas for delivery, held in PostgreSQL: a session advisory lock
 * on a connection of its own, which also LISTENs to the delivery queue. The lock goes with the
 * connection, so a replica that dies or loses the database gives it up at once and another takes
 * it on its next try (every `retryMs`). No two replicas write into the cluster at the same time.
 */
export class DeliveryLease {
  private readonly logger = new Logger(DeliveryLease.name);
  private client?: Client;
  private held = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: LeaseHandlers,
    private readonly retryMs = 2000,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  start(): void {
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.drop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.attempt(), this.retryMs);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.held) return;
    try {
      if (!this.client) {
        const client = new Client({ connectionString: this.databaseUrl, application_name: 'keyward-credentials-delivery' });
        client.on('error', (error) => {
          this.logger.warn(`Delivery lease connection failed: ${error.message}`);
          void this.drop().then(() => this.schedule());
        });
        client.on('notification', () => this.handlers.notified());
        this.client = client;
        await client.connect();
      }
      const result = await this.client.query<{ held: boolean }>(LEASE_SQL);
      if (result.rows[0]?.held && !this.stopped) {
        await this.client.query(`LISTEN ${DELIVERY_CHANNEL}`);
        this.held = true;
        this.logger.log('This replica delivers credentials into the cluster');
        this.handlers.acquired();
        return;
      }
    } catch (error: unknown) {
      this.logger.warn(`Delivery lease not taken: ${error instanceof Error ? error.message : String(error)}`);
      await this.drop();
    }
    this.schedule();
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.held) {
      this.held = false;
      this.handlers.lost();
    }
    await client?.end().catch(() => undefined);
  }
}
