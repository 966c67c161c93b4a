import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ReaperInitial1763820000000 implements MigrationInterface {
  name = 'ReaperInitial1763820000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reaper.jobs (
        account_id uuid PRIMARY KEY,
        account_name text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'waiting', 'done')),
        owner text,
        lease_until timestamptz,
        remaining jsonb,
        attempts int NOT NULL DEFAULT 1,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX jobs_open_by_name_idx ON reaper.jobs (account_name) WHERE state <> 'done'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reaper.jobs`);
  }
}
