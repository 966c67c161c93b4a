import { ClientNats, type NatsOptions, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { type NatsConnection } from 'nats';

/**
 * Nest's NATS client, sending each request through the connection's shared reply subscription
 * (`request()`), instead of subscribing and unsubscribing a fresh inbox per request. Same wire
 * format and the same server side; one protocol message per request instead of three, and NATS
 * answers "no responders" at once when no service listens.
 */
export class MuxedClientNats extends ClientNats {
  constructor(
    options: NonNullable<NatsOptions['options']>,
    private readonly requestTimeoutMs: number,
  ) {
    super(options);
  }

  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    try {
      const packet = this.assignPacketId(partialPacket);
      const channel = this.normalizePattern(partialPacket.pattern);
      const serialized = this.serializer.serialize(packet);
      const connection = this.natsClient as NatsConnection;
      connection.request(channel, serialized.data as Uint8Array, { timeout: this.requestTimeoutMs }).then(
        async (message) => {
          const reply = (await this.deserializer.deserialize(message.data)) as WritePacket;
          callback({ err: reply.err, response: reply.response, isDisposed: true });
        },
        (error: unknown) => callback({ err: error }),
      );
    } catch (error: unknown) {
      callback({ err: error });
    }
    return () => undefined;
  }
}
