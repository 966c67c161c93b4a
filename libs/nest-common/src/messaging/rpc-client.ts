import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type ClientNats } from '@nestjs/microservices';
import { isRpcErrorPayload, type RpcReply, type RpcRequest, type RpcSubject, wireSubject } from '@keyward/contracts';
import { DomainError, ErrorCode } from '@keyward/domain';
import { type NatsConnection } from 'nats';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { NATS_CLIENT } from './messaging.tokens';

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
    @Inject(NATS_CLIENT) private readonly client: ClientNats,
    @Inject(RPC_CLIENT_OPTIONS) private readonly options: RpcClientOptions,
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
    try {
      return await lastValueFrom(
        this.client.send<RpcReply<K>, RpcRequest<K>>(wireSubject(subject), request).pipe(timeout(this.options.timeoutMs)),
      );
    } catch (error: unknown) {
      throw this.toDomainError(subject, error);
    }
  }

  private toDomainError(subject: string, error: unknown): DomainError {
    if (isRpcErrorPayload(error)) {
      return new DomainError(error.code, error.message, error.details ?? {});
    }
    if (error instanceof TimeoutError) {
      this.logger.warn(`No reply to ${subject} within ${this.options.timeoutMs} ms`);
    } else {
      this.logger.error(`Request ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const service = subject.split('.')[0] ?? 'service';
    return new DomainError(ErrorCode.ServiceUnavailable, `The ${service} service is unavailable. Try again shortly.`);
  }
}
