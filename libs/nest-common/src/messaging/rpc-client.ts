import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { isRpcErrorPayload, type RpcReply, type RpcRequest, type RpcSubject, wireSubject } from '@keyward/contracts';
import { DomainError, ErrorCode } from '@keyward/domain';
import { ErrorCode as NatsErrorCode, NatsError, type NatsConnection } from 'nats';
import { Metrics } from '../metrics/metrics';
import { NATS_CLIENT } from './messaging.tokens';
import { type MuxedClientNats } from './muxed-client-nats';

export interface RpcClientOptions {
  timeoutMs: number;
}
export const RPC_CLIENT_OPTIONS = Symbol('RPC_CLIENT_OPTIONS');

/**
 * The one way to make a request on the bus: typed by the contract, bounded by a timeout, and
 * turning every failure into a DomainError with a stable code. A service that is down or too slow
 * is SERVICE_UNAVAILABLE, never a hang.
 */
@Injectable()
export class RpcClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RpcClient.name);

  constructor(
    @Inject(NATS_CLIENT) private readonly client: MuxedClientNats,
    @Inject(RPC_CLIENT_OPTIONS) private readonly options: RpcClientOptions,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection()
      .drain()
      .catch(() => undefined);
    await this.client.close();
  }

  /** The underlying connection, for events and health checks. */
  connection(): NatsConnection {
    return this.client.unwrap<NatsConnection>();
  }

  onReconnect(callback: () => void): void {
    this.client.on('reconnect', callback);
    this.client.on('disconnect', callback);
  }

  async send<K extends RpcSubject>(subject: K, request: RpcRequest<K>): Promise<RpcReply<K>> {
    const stop = this.metrics?.natsRequests.startTimer({ subject });
    try {
      const reply = (await this.client.request(wireSubject(subject), request, this.options.timeoutMs)) as RpcReply<K>;
      stop?.({ outcome: 'ok' });
      return reply;
    } catch (error: unknown) {
      const timedOut = error instanceof NatsError && error.code === NatsErrorCode.Timeout;
      stop?.({ outcome: isRpcErrorPayload(error) ? 'error' : timedOut ? 'timeout' : 'unavailable' });
      if (timedOut) this.metrics?.natsTimeouts.inc({ subject });
      throw this.toDomainError(subject, error);
    }
  }

  private toDomainError(subject: string, error: unknown): DomainError {
    if (isRpcErrorPayload(error)) {
      return new DomainError(error.code, error.message, error.details ?? {});
    }
    if (error instanceof NatsError && error.code === NatsErrorCode.Timeout) {
      this.logger.warn(`No reply to ${subject} within ${this.options.timeoutMs} ms`);
    } else if (error instanceof NatsError && error.code === NatsErrorCode.NoResponders) {
      this.logger.warn(`No service listens on ${subject}`);
    } else {
      this.logger.error(`Request ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const service = subject.split('.')[0] ?? 'service';
    return new DomainError(ErrorCode.ServiceUnavailable, `The ${service} service is unavailable. Try again shortly.`);
  }
}
