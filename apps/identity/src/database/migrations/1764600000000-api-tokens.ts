import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * API tokens and console sessions, and the signatures of signed requests already accepted. A
 * token's secret is kept sealed (identity needs it to check signatures) and wiped on revocation;
 * the row stays so that a revoked token is refused as revoked, not as unknown.
 */
export class ApiTokens1764600000000 implements MigrationInterface {
  name = 'ApiTokens1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity.api_tokens (
        id varchar(16) PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('api', 'session')),
        name varchar(64) NOT NULL,
        secret_sealed text,
        read_only boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        CHECK ((revoked_at IS NULL) = (secret_sealed IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX api_tokens_user_idx ON identity.api_tokens (user_id, created_at)`);
    // A live API token's name is unique for its user; sessions and revoked tokens may repeat names.
    await db.query(`CREATE UNIQUE INDEX api_tokens_live_name_unique ON identity.api_tokens (user_id, name) WHERE kind = 'api' AND revoked_at IS NULL`);
    await db.query(`
      CREATE TABLE identity.signature_replays (
        signature char(64) PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX signature_replays_expiry_idx ON identity.signature_replays (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE identity.signature_replays`);
    await db.query(`DROP TABLE identity.api_tokens`);
  }
}
