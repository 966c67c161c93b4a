import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type EventPayload, type EventSubject } from '@keyward/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxEntity } from './outbox.entity';

/** An event waiting in the outbox to be relayed to JetStream. */
export interface PendingEvent {
  id: string;
  subject: string;
  payload: unknown;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Must run inside the transaction of the change the event announces. */
  async add<K extends EventSubject>(subject: K, payload: EventPayload<K>, manager: EntityManager): Promise<void> {
    const outbox = manager.getRepository(OutboxEntity);
    await outbox.save(outbox.create({ subject, payload: { ...payload }, publishedAt: null }));
  }

  /** Up to `limit` events not yet relayed, oldest first, locked (skipping those another replica holds) until `manager`'s transaction ends. */
  claimPending(manager: EntityManager, limit: number): Promise<PendingEvent[]> {
    return manager.query(`SELECT id, subject, payload FROM identity.outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, [
      limit,
    ]) as Promise<PendingEvent[]>;
  }

  async markPublished(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(`UPDATE identity.outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Events not yet relayed. */
  async pendingCount(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM identity.outbox WHERE published_at IS NULL`)) as [{ n: number }];
    return row.n;
  }

  /** The age in seconds of the oldest event not yet relayed (0: none waiting). */
  async lagSeconds(): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS seconds FROM identity.outbox WHERE published_at IS NULL`,
    )) as [{ seconds: number }];
    return row.seconds;
  }
}
