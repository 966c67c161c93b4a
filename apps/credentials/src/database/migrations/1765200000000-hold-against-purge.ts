import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The check every insert makes against a purge, as one function: it holds the account's advisory
 * lock in shared mode until the transaction ends, then looks for the purge mark. Being VOLATILE,
 * its look takes a snapshot of its own after the lock is held, so it sees a mark the purge
 * committed while the insert waited. An insert can then be a single statement
 * (`INSERT ... SELECT ... WHERE credentials.hold_against_purge(account)`), with no transaction
 * around it; it inserts nothing once the purge has begun.
 */
export class HoldAgainstPurge1765200000000 implements MigrationInterface {
  name = 'HoldAgainstPurge1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION credentials.hold_against_purge(account uuid) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(hashtextextended(account::text, 0));
        RETURN NOT EXISTS (SELECT 1 FROM credentials.purged_accounts WHERE account_id = account);
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP FUNCTION credentials.hold_against_purge(uuid)');
  }
}
