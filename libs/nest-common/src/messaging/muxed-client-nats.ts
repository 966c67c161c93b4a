import { ClientNats, type WritePacket } from '@nestjs/microservices';
import { type NatsConnection } from 'nats';

/**
 * Nest's NATS client (connection, reconnection and status events, Nest's wire format), sending
 * each request through the connection's shared reply subscription (`request()`) instead of
 * subscribing and unsubscribing a fresh inbox per request: one protocol message per request
 * instead of three, and NATS answers "no responders" at once when no service listens.
 */
export class MuxedClientNats extends ClientNats {
  /**
   * Sends one request and resolves with the response of its first reply. Rejects with the reply's
   * `err` when the handler failed, or with the NatsError of the connection (timeout, no responders,
   * connection closed).
   */
  async request(pattern: string, data: unknown, timeoutMs: number): Promise<unknown> {
    const packet = this.assignPacketId({ pattern, data });
    const serialized = this.serializer.serialize(packet);
    const message = await this.unwrap<NatsConnection>().request(pattern, serialized.data as Uint8Array, { timeout: timeoutMs });
    const reply = (await this.deserializer.deserialize(message.data)) as WritePacket;
    if (reply.err !== undefined && reply.err !== null) {
      throw reply.err;
    }
    return reply.response;
  }
}
