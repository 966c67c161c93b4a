import { eventStreamName, IdentityEvents, wireSubject } from '@keyward/contracts';
import { type JetStreamManager, nanos, RetentionPolicy, StorageType } from 'nats';

/** Subjects of the events that must not be lost: those written through an outbox. */
export function durableEventSubjects(): string[] {
  return [IdentityEvents.accountDeleting, IdentityEvents.accountDeleted].map((subject) => wireSubject(subject));
}

/**
 * Creates the event stream if it does not exist (idempotent; every publisher and consumer calls it
 * at start). Messages are kept for a week; a two-minute window deduplicates by message id, so an
 * outbox row published twice is stored once.
 */
export async function ensureEventStream(manager: JetStreamManager): Promise<string> {
  const name = eventStreamName();
  const subjects = durableEventSubjects();
  try {
    const info = await manager.streams.info(name);
    const missing = subjects.filter((subject) => !info.config.subjects?.includes(subject));
    if (missing.length > 0) {
      await manager.streams.update(name, { ...info.config, subjects: [...(info.config.subjects ?? []), ...missing] });
    }
  } catch {
    await manager.streams
      .add({
        name,
        subjects,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        max_age: nanos(7 * 24 * 3600 * 1000),
        duplicate_window: nanos(120_000),
      })
      .catch(async (error: unknown) => {
        // Another replica created it in between.
        await manager.streams.info(name).catch(() => {
          throw error;
        });
      });
  }
  return name;
}
