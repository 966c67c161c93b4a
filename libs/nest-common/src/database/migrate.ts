import { createHash } from 'node:crypto';
import { type DataSource } from 'typeorm';

/** A stable 64-bit advisory lock key derived from a name. */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Runs the service's pending migrations, then `afterMigrate` (e.g. bootstrap), while holding a
 * PostgreSQL session-level advisory lock. Replicas that start together queue on the lock, so exactly
 * one migrates and bootstraps and the others find the work done.
 */
export async function runMigrationsLocked(dataSource: DataSource, schema: string, afterMigrate: () => Promise<void> = async () => undefined): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = advisoryLockKey(`keyward:migrate:${schema}`);
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    // With a role per service (apps/database-init), the schema exists already and the role may
    // not create schemas: create it only when missing (a single-role development database).
    const found = await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (found.length === 0) await runner.query(`CREATE SCHEMA "${schema}"`);
    await dataSource.runMigrations({ transaction: 'each' });
    await afterMigrate();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await runner.release();
  }
}
