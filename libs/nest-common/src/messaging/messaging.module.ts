import { type DynamicModule, Module } from '@nestjs/common';
import { type BusUser } from '@keyward/contracts';
import { type CommonConfig } from '../config/common-config';
import { EventBus } from './event-bus';
import { NATS_CLIENT } from './messaging.tokens';
import { MuxedClientNats } from './muxed-client-nats';
import { natsConnectionOptions } from './nats-options';
import { RPC_CLIENT_OPTIONS, RpcClient } from './rpc-client';

/** One NATS client connection per process, for outgoing requests and for events. */
@Module({})
export class MessagingModule {
  static forRoot(config: CommonConfig, service: BusUser, clientName: string = service): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: NATS_CLIENT, useFactory: () => new MuxedClientNats(natsConnectionOptions(config, service, clientName)) },
        { provide: RPC_CLIENT_OPTIONS, useValue: { timeoutMs: config.KEYWARD_NATS_TIMEOUT_MS, failoverMs: config.KEYWARD_NATS_FAILOVER_MS } },
        RpcClient,
        EventBus,
      ],
      exports: [RpcClient, EventBus],
    };
  }
}
