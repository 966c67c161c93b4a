import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The audit log: one row per change, numbered without gaps (`seq`) and hash-chained (each row's
 * hash covers the one before), so a record deleted or edited later is detected by
 * `npm run manage -- audit verify`. `audit_head` is the end of the chain (the last seq and hash)
 * and where retention cut it (`pruned_seq`, `pruned_hash`: the last record removed). Rows are
 * never updated: a trigger refuses it.
 */
export class AuditLog1765000000000 implements MigrationInterface {
  name = 'AuditLog1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity.audit_log (
        seq bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        actor_username text GENERATED ALWAYS AS (actor->>'username') STORED,
        address text,
        request_id text,
        action text NOT NULL,
        resource jsonb NOT NULL,
        resource_type text GENERATED ALWAYS AS (resource->>'type') STORED,
        resource_id text GENERATED ALWAYS AS (resource->>'id') STORED,
        account text GENERATED ALWAYS AS (resource->>'account') STORED,
        before jsonb,
        after jsonb,
        result jsonb NOT NULL,
        hash text NOT NULL
      )`);
    await db.query(`CREATE INDEX audit_log_at_idx ON identity.audit_log (at)`);
    await db.query(`CREATE INDEX audit_log_account_idx ON identity.audit_log (account, seq)`);
    await db.query(`CREATE INDEX audit_log_actor_idx ON identity.audit_log (actor_username, seq)`);
    await db.query(`CREATE INDEX audit_log_action_idx ON identity.audit_log (action, seq)`);
    await db.query(`CREATE INDEX audit_log_resource_idx ON identity.audit_log (resource_type, resource_id, seq)`);
    await db.query(`
      CREATE TABLE identity.audit_head (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        seq bigint NOT NULL,
        hash text NOT NULL,
        pruned_seq bigint NOT NULL,
        pruned_hash text NOT NULL
      )`);
    await db.query(`INSERT INTO identity.audit_head (seq, hash, pruned_seq, pruned_hash) VALUES (0, '', 0, '')`);
    await db.query(`
      CREATE FUNCTION identity.audit_log_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit records are never changed' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON identity.audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION identity.audit_log_refuse_update()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE identity.audit_head`);
    await db.query(`DROP TABLE identity.audit_log`);
    await db.query(`DROP FUNCTION identity.audit_log_refuse_update()`);
  }
}
