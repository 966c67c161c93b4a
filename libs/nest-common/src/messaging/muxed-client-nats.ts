import { ClientNats, type WritePacket } from '@nestjs/microservices';
import { createInbox, ErrorCode, type Msg, type NatsConnection, NatsError } from 'nats';

interface PendingRequest {
  resolve: (message: Msg) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * The replies to one connection's requests: one subscription to `<inbox>.*`, each request
 * answered on `<inbox>.<token>`. Each request costs a map entry and a timer, nothing on the server.
 */
class ReplyInbox {
  private readonly prefix: string;
  private readonly pending = new Map<string, PendingRequest>();
  private nextToken = 0;

  constructor(
    readonly connection: NatsConnection,
    inboxPrefix?: string,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    const subscription = connection.subscribe(`${this.prefix}*`, {
      callback: (error, message) => {
        if (error) {
          this.failAll(error);
          return;
        }
        const request = this.take(message.subject.slice(this.prefix.length));
        if (!request) {
          return; // A late reply to a request that already timed out.
        }
        if (message.data.length === 0 && message.headers?.code === 503) {
          request.reject(NatsError.errorForCode(ErrorCode.NoResponders));
        } else {
          request.resolve(message);
        }
      },
    });
    // Once the connection is closed nothing will answer: fail what is waiting now, not at its timeout.
    void subscription.closed.then(() => this.failAll(NatsError.errorForCode(ErrorCode.ConnectionClosed)));
  }

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Msg> {
    const token = (this.nextToken++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => this.take(token)?.reject(NatsError.errorForCode(ErrorCode.Timeout)), timeoutMs);
      this.pending.set(token, { resolve, reject, timer });
      try {
        this.connection.publish(subject, data, { reply: `${this.prefix}${token}` });
      } catch (error: unknown) {
        this.take(token)?.reject(error);
      }
    });
  }

  /** Removes a request from the pending ones and stops its timer. */
  private take(token: string): PendingRequest | undefined {
    const request = this.pending.get(token);
    if (request) {
      this.pending.delete(token);
      clearTimeout(request.timer);
    }
    return request;
  }

  private failAll(error: unknown): void {
    for (const token of [...this.pending.keys()]) {
      this.take(token)?.reject(error);
    }
  }
}

/**
 * Nest's NATS client (connection, reconnection and status events, Nest's wire format) with every
 * request answered on one shared reply subscription per connection. Nest's own subscribes and
 * unsubscribes a fresh inbox per request (two more protocol messages for the NATS server to
 * handle each time); nats.js's `request()` builds an Error, stack trace included, for every request
 * it completes. NATS answers "no responders" at once when no service listens.
 */
export class MuxedClientNats extends ClientNats {
  private replies?: ReplyInbox;

  override async connect(): Promise<NatsConnection> {
    const connection = (await super.connect()) as NatsConnection;
    if (this.replies?.connection !== connection) {
      this.replies = new ReplyInbox(connection, this.options.inboxPrefix);
    }
    return connection;
  }

  /**
   * Sends one request and resolves with the response of its reply. Rejects with the reply's `err`
   * when the handler failed, or with a NatsError: TIMEOUT, 503 (no responders), CONNECTION_CLOSED.
   */
  async request(pattern: string, data: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.replies) {
      throw NatsError.errorForCode(ErrorCode.ConnectionClosed);
    }
    const serialized = this.serializer.serialize(this.assignPacketId({ pattern, data }));
    const message = await this.replies.request(pattern, serialized.data as Uint8Array, timeoutMs);
    const reply = (await this.deserializer.deserialize(message.data)) as WritePacket;
    if (reply.err !== undefined && reply.err !== null) {
      throw reply.err;
    }
    return reply.response;
  }

  override async close(): Promise<void> {
    await super.close();
    this.replies = undefined;
  }
}
