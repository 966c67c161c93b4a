import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type EventPayload, eventStreamName, IdentityEvents, REAPER_CONSUMER, wireSubject } from '@keyward/contracts';
import { ensureEventStream, RpcClient } from '@keyward/nest-common';
import { AckPolicy, type ConsumerMessages, DeliverPolicy, JSONCodec, nanos } from 'nats';
import { ReaperConfig } from '../config';
import { ReaperService } from './reaper.service';

const codec = JSONCodec<EventPayload<typeof IdentityEvents.accountDeleting>>();
/** Delays before redelivering a failed deletion: quick at first, then backing off. */
const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000, 60000];

/**
 * Consumes account deletions from JetStream through one durable consumer that every replica
 * shares: each event goes to one replica, is acknowledged only once the account is fully reaped,
 * and is redelivered with a backoff (up to a bounded number of times) if reaping fails.
 */
@Injectable()
export class DeletionConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeletionConsumerService.name);
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    @Inject(ReaperConfig) private readonly config: ReaperConfig,
    private readonly rpc: RpcClient,
    private readonly reaper: ReaperService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = this.rpc.connection();
    const manager = await connection.jetstreamManager();
    const stream = await ensureEventStream(manager);
    // No `backoff` on the consumer: JetStream would then use its first step as the ack wait and
    // redeliver any reap longer than that while it runs. Failures are delayed by `nak(delay)`.
    const consumer = {
      durable_name: REAPER_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: wireSubject(IdentityEvents.accountDeleting),
      ack_wait: nanos(60_000),
      max_deliver: this.config.KEYWARD_REAPER_MAX_DELIVER,
    };
    try {
      await manager.consumers.info(stream, REAPER_CONSUMER);
      await manager.consumers.update(stream, REAPER_CONSUMER, { ack_wait: consumer.ack_wait, max_deliver: consumer.max_deliver, backoff: [] });
    } catch {
      await manager.consumers.add(stream, consumer).catch(() => undefined);
    }
    const messages = await (await connection.jetstream().consumers.get(eventStreamName(), REAPER_CONSUMER)).consume({ max_messages: 4 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const message of messages) {
        const event = codec.decode(message.data);
        // Tell JetStream the work is in progress while a large account is being reaped.
        const heartbeat = setInterval(() => message.working(), 15_000);
        try {
          const outcome = await this.reaper.reap(event.accountId, event.account);
          if (outcome === 'busy') {
            this.logger.log(`Account ${event.account} is being reaped by another replica`);
          }
          message.ack();
        } catch (error: unknown) {
          const delay = BACKOFF_MS[Math.min(message.info.redeliveryCount - 1, BACKOFF_MS.length - 1)] ?? 1000;
          this.logger.warn(
            `Reaping ${event.account} failed (delivery ${message.info.redeliveryCount}), retrying in ${delay} ms: ${error instanceof Error ? error.message : String(error)}`,
          );
          message.nak(delay);
        } finally {
          clearInterval(heartbeat);
        }
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }
}
