import { type CustomStrategy } from '@nestjs/microservices';
import { type BusUser, inboxPrefixOf } from '@keyward/contracts';
import { type CommonConfig, natsServers } from '../config/common-config';
import { PlainSubjectServerNats } from './plain-subject-server-nats';

/**
 * Connection options shared by a service's request listener and its client. Replies come back
 * on the service's own inbox prefix, the only inbox its NATS user may subscribe to.
 */
export function natsConnectionOptions(config: CommonConfig, service: BusUser, name: string = service) {
  return {
    servers: natsServers(config),
    name,
    inboxPrefix: inboxPrefixOf(service),
    user: config.NATS_USER,
    pass: config.NATS_PASSWORD,
    // Keep trying for ever: a NATS restart must not take a service down with it.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // No stack trace captured for every request and subscription timer, only to decorate errors.
    noAsyncTraces: true,
  };
}

/**
 * A service's request listener: Nest's NATS transport, routing plain subjects without a JSON parse.
 * Replicas share the queue group, so each request is handled once.
 */
export function natsServerOptions(config: CommonConfig, service: BusUser): CustomStrategy {
  return {
    strategy: new PlainSubjectServerNats({ ...natsConnectionOptions(config, service, `${service}-server`), queue: service }),
  };
}
