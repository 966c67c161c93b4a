import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Signed requests already accepted are kept in an UNLOGGED table: recording one writes no WAL, so
 * a signed request no longer waits for a WAL flush. Every replica still shares the table, whose
 * primary key refuses a replay. What it costs: after a PostgreSQL crash (not a clean restart) the
 * table starts empty, so a signature captured in the last SIGNATURE_MAX_SKEW_SECONDS could be
 * replayed once. See docs/adr/0012-performance-at-default-settings.md.
 */
export class UnloggedSignatureReplays1764900000000 implements MigrationInterface {
  name = 'UnloggedSignatureReplays1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE identity.signature_replays SET UNLOGGED');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE identity.signature_replays SET LOGGED');
  }
}
