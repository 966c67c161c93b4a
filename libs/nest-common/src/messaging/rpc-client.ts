import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { type BusUser, isRpcErrorPayload, type RpcReply, type RpcRequest, type RpcSubject, wireSubject } from '@keyward/contracts';
import { DomainError, ErrorCode } from '@keyward/domain';
import { ErrorCode as NatsErrorCode, NatsError, type NatsConnection } from 'nats';
import { Metrics } from '../metrics/metrics';
import { NATS_CLIENT } from './messaging.tokens';
import { type CommonConfig } from '../config/common-config';
import { MuxedClientNats } from './muxed-client-nats';
import { natsConnectionOptions } from './nats-options';

export interface RpcClientOptions {
  timeoutMs: number;
  /** How long a request without responders is retried: the window in which a service fails over to another NATS server. */
  failoverMs: number;
}

/** Per request: `failover: false` reports "no responders" at once (a health check asks what is up now). */
export interface SendOptions {
  failover?: boolean;
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

  /**
   * A request that found no responders was never delivered, so it is sent again, backing off, for
   * up to KEYWARD_NATS_FAILOVER_MS (within the timeout): while a service reconnects to another
   * server of a cluster, or restarts, its subjects have no interest for a moment.
   */
  async send<K extends RpcSubject>(subject: K, request: RpcRequest<K>, options: SendOptions = {}): Promise<RpcReply<K>> {
    const stop = this.metrics?.natsRequests.startTimer({ subject });
    const started = Date.now();
    const deadline = started + this.options.timeoutMs;
    const failoverUntil = options.failover === false ? started : started + Math.min(this.options.failoverMs, this.options.timeoutMs);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const reply = (await this.client.request(wireSubject(subject), request, Math.max(1, deadline - Date.now()))) as RpcReply<K>;
          stop?.({ outcome: 'ok' });
          return reply;
        } catch (error: unknown) {
          const pause = Math.min(250, 10 * 2 ** attempt);
          if (!(error instanceof NatsError && error.code === NatsErrorCode.NoResponders) || Date.now() + pause > failoverUntil) throw error;
          this.metrics?.natsRetries.inc({ subject });
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
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

/**
 * One request from a one-off command (not a running service): connects as `service`, sends, and
 * closes. A NATS server that cannot be reached within two seconds is a rejection, not a wait.
 */
export async function sendOnce<K extends RpcSubject>(config: CommonConfig, service: BusUser, subject: K, request: RpcRequest<K>): Promise<RpcReply<K>> {
  const client = new MuxedClientNats({ ...natsConnectionOptions(config, service, `${service}-command`), maxReconnectAttempts: 0, timeout: 2000 });
  const rpc = new RpcClient(client, { timeoutMs: config.KEYWARD_NATS_TIMEOUT_MS, failoverMs: config.KEYWARD_NATS_FAILOVER_MS });
  try {
    await rpc.onModuleInit();
    return await rpc.send(subject, request);
  } finally {
    await client.close().catch(() => undefined);
  }
}
