import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { OutboxEntity } from './outbox.entity';

@Injectable()
export class OutboxRepository {
  /** Must run inside the transaction of the change the event announces. */
  async add(subject: string, payload: Record<string, unknown>, manager: EntityManager): Promise<void> {
    const outbox = manager.getRepository(OutboxEntity);
    await outbox.save(outbox.create({ subject, payload, publishedAt: null }));
  }
}
