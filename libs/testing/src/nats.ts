import { eventStreamName } from '@keyward/contracts';
import { connect } from 'nats';

export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** Removes the JetStream stream a test run created (named after its subject prefix). */
export async function deleteEventStream(prefix: string | undefined): Promise<void> {
  if (!prefix) return;
  const connection = await connect({ servers: TEST_NATS_URL });
  try {
    const manager = await connection.jetstreamManager();
    await manager.streams.delete(eventStreamName(prefix)).catch(() => false);
  } finally {
    await connection.close();
  }
}
