import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class IdentityInitial1763800000000 implements MigrationInterface {
  name = 'IdentityInitial1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity.accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(128) NOT NULL,
        email varchar(255),
        type text NOT NULL CHECK (type IN ('admin', 'user', 'service')),
        state text NOT NULL CHECK (state IN ('enabled', 'disabled', 'deleting')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_updated timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT accounts_name_unique UNIQUE (name)
      )`);
    await db.query(`CREATE INDEX accounts_state_idx ON identity.accounts (state)`);
    await db.query(`
      CREATE TABLE identity.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(128) NOT NULL,
        account_id uuid NOT NULL REFERENCES identity.accounts (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('native')),
        source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_updated timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_username_unique UNIQUE (username)
      )`);
    await db.query(`CREATE INDEX users_account_idx ON identity.users (account_id, created_at)`);
    await db.query(`
      CREATE TABLE identity.password_credentials (
        user_id uuid PRIMARY KEY REFERENCES identity.users (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('password')),
        hash text NOT NULL CHECK (hash LIKE '$argon2id$%'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE identity.outbox (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await db.query(`CREATE INDEX outbox_unpublished_idx ON identity.outbox (id) WHERE published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE identity.outbox`);
    await db.query(`DROP TABLE identity.password_credentials`);
    await db.query(`DROP TABLE identity.users`);
    await db.query(`DROP TABLE identity.accounts`);
  }
}
