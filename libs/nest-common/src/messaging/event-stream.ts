import { eventStreamName, IdentityEvents, wireSubject } from '@keyward/contracts';
import { type JetStreamManager, nanos, RetentionPolicy, StorageType } from 'nats';

/** Subjects of the events that must not be lost: those written through an outbox. */
export function durableEventSubjects(): string[] {
  return [IdentityEvents.accountDeleting, IdentityEvents.accountDeleted].map((subject) => wireSubject(subject));
}

/** Copies of the event stream a cluster keeps, where it has that many servers. */
export const EVENT_STREAM_REPLICAS = 3;

/**
 * Creates the event stream if it does not exist (idempotent; every publisher and consumer calls it
 * at start), with EVENT_STREAM_REPLICAS copies on a cluster that has that many JetStream servers,
 * else one (a single server refuses more). An existing stream with fewer copies gets more once the
 * cluster can keep them. Messages are kept for a week; a two-minute window deduplicates by
 * message id, so an outbox row published twice is stored once.
 */
export async function ensureEventStream(manager: JetStreamManager): Promise<string> {
  const name = eventStreamName();
  const subjects = durableEventSubjects();
  try {
    const info = await manager.streams.info(name);
    const missing = subjects.filter((subject) => !info.config.subjects?.includes(subject));
    const config = { ...info.config, subjects: [...(info.config.subjects ?? []), ...missing] };
    if (missing.length > 0) {
      await manager.streams.update(name, config);
    }
    if ((info.config.num_replicas ?? 1) < EVENT_STREAM_REPLICAS) {
      // Refused unless the cluster has the servers: then the stream stays as it is.
      await manager.streams.update(name, { ...config, num_replicas: EVENT_STREAM_REPLICAS }).catch(() => undefined);
    }
  } catch {
    const config = {
      name,
      subjects,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      max_age: nanos(7 * 24 * 3600 * 1000),
      duplicate_window: nanos(120_000),
    };
    await manager.streams
      .add({ ...config, num_replicas: EVENT_STREAM_REPLICAS })
      // A single server, or a cluster of fewer servers: one copy.
      .catch(() => manager.streams.add({ ...config, num_replicas: 1 }))
      .catch(async (error: unknown) => {
        // Another replica created it in between.
        await manager.streams.info(name).catch(() => {
          throw error;
        });
      });
  }
  return name;
}
