import { Injectable, Logger } from '@nestjs/common';
import { type EventPayload, type EventSubject, wireSubject } from '@keyward/contracts';
import { JSONCodec, type Subscription } from 'nats';
import { RpcClient } from './rpc-client';

const codec = JSONCodec();

/**
 * Plain NATS publish/subscribe for notifications every replica must see (no queue group).
 * Events that must not be lost go through the outbox and JetStream instead.
 */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);

  constructor(private readonly rpc: RpcClient) {}

  /** Resolves once the NATS server has the event, so a reply sent afterwards cannot overtake it. */
  async publish<K extends EventSubject>(event: K, payload: EventPayload<K>): Promise<void> {
    const connection = this.rpc.connection();
    connection.publish(wireSubject(event), codec.encode(payload));
    await connection.flush();
  }

  subscribe<K extends EventSubject>(event: K, handler: (payload: EventPayload<K>) => void): Subscription {
    return this.rpc.connection().subscribe(wireSubject(event), {
      callback: (error, message) => {
        if (error) {
          this.logger.error(`Subscription to ${event} failed: ${error.message}`);
          return;
        }
        try {
          handler(codec.decode(message.data) as EventPayload<K>);
        } catch (handlerError: unknown) {
          this.logger.error(`Handling ${event} failed: ${handlerError instanceof Error ? handlerError.message : String(handlerError)}`);
        }
      },
    });
  }
}
