import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Accounts whose purge has begun: no row may be created in them any more. Account ids are random
 * and never reused, so a mark is kept for good (one row per deleted account).
 */
export class PurgedAccounts1764720000000 implements MigrationInterface {
  name = 'PurgedAccounts1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credentials.purged_accounts (
        account_id uuid PRIMARY KEY,
        purge_started_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE credentials.purged_accounts');
  }
}
