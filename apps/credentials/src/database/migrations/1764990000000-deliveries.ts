import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The tables whose changes can change what an account's namespaces should hold. */
const WATCHED = ['credentials', 'projects', 'secrets'] as const;

/**
 * Delivery into Kubernetes (ADR 14):
 * - `deliveries`: where each credential stands in each namespace it goes to (its status);
 * - `delivery_queue`: the accounts whose Secrets must be brought in step, written by triggers in
 *   the same transaction as the change (an outbox: a committed change is never missed, a rolled
 *   back one never queued), with a NOTIFY that wakes the replica doing delivery at once.
 * The triggers run once per statement, on the rows the statement changed, so a purge deleting
 * 5,000 credentials in one statement queues its account once.
 */
export class Deliveries1764990000000 implements MigrationInterface {
  name = 'Deliveries1764990000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credentials.deliveries (
        -- No foreign key: a cascade would run once per credential deleted (a purge deletes a
        -- million); rows of deleted credentials are dropped by the next delivery of their account,
        -- or by the purge, and never shown (every read joins the credential).
        credential_id uuid NOT NULL,
        namespace varchar(63) NOT NULL,
        account_id uuid NOT NULL,
        state text NOT NULL CHECK (state IN ('synced', 'error')),
        message text,
        attempts int NOT NULL DEFAULT 0,
        synced_at timestamptz,
        -- The credential's updated_at that was delivered: older than the credential means pending.
        version timestamptz,
        checked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (credential_id, namespace)
      )`);
    await db.query('CREATE INDEX deliveries_account ON credentials.deliveries (account_id)');
    await db.query('CREATE INDEX deliveries_namespace ON credentials.deliveries (namespace)');
    await db.query(`
      CREATE TABLE credentials.delivery_queue (
        account_id uuid PRIMARY KEY,
        -- When it was last queued: a change while delivery takes the row keeps it queued (below).
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`
      CREATE FUNCTION credentials.queue_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        added int;
      BEGIN
        -- An account already queued gets a new queued_at: delivery deletes a row only with the
        -- queued_at it read, so a change committed while it takes the row is never lost.
        -- NOTIFY serialises the commits that send one: sent only when an account was not queued
        -- yet, so a burst of changes (or a stack without a cluster, which never drains the queue)
        -- sends at most one per account.
        WITH queued AS (
          INSERT INTO credentials.delivery_queue (account_id)
            SELECT DISTINCT account_id FROM changed_rows
            ON CONFLICT (account_id) DO UPDATE SET queued_at = clock_timestamp()
            RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted) INTO added FROM queued;
        IF added > 0 THEN
          PERFORM pg_notify('keyward_delivery', '');
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of WATCHED) {
      // A trigger with a transition table serves one event only.
      await db.query(`CREATE TRIGGER ${table}_inserted_queue_delivery AFTER INSERT ON credentials.${table}
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION credentials.queue_delivery()`);
      await db.query(`CREATE TRIGGER ${table}_updated_queue_delivery AFTER UPDATE ON credentials.${table}
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION credentials.queue_delivery()`);
      await db.query(`CREATE TRIGGER ${table}_deleted_queue_delivery AFTER DELETE ON credentials.${table}
        REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION credentials.queue_delivery()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of WATCHED) {
      for (const event of ['inserted', 'updated', 'deleted']) {
        await db.query(`DROP TRIGGER ${table}_${event}_queue_delivery ON credentials.${table}`);
      }
    }
    await db.query('DROP FUNCTION credentials.queue_delivery()');
    await db.query('DROP TABLE credentials.delivery_queue');
    await db.query('DROP TABLE credentials.deliveries');
  }
}
