import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The delivery queue without a row lock per change. The trigger used to move an account's
 * queued_at on every change (ON CONFLICT DO UPDATE): the row stayed locked until the change
 * committed, so every write into one account waited for the one before it to commit (50 concurrent
 * creates in an account waited on each other's WAL flush). Now a change leaves an account's row as
 * it is when it is queued already (DO NOTHING, no lock), and holds the account's advisory lock in
 * shared mode until it commits, the lock inserts already hold against a purge. Delivery takes the
 * account off the queue and then takes that lock exclusively, for a moment: it waits for every
 * change that found the row still queued, so what it then reads holds them all (ADR 14).
 */
export class DeliveryQueueWithoutRowLocks1765100000000 implements MigrationInterface {
  name = 'DeliveryQueueWithoutRowLocks1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION credentials.queue_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        added int;
      BEGIN
        -- Held until this change commits: delivery, having taken the account off the queue,
        -- waits for it before reading the account (DeliveryRepository.takeQueued).
        PERFORM pg_advisory_xact_lock_shared(hashtextextended(account_id::text, 0)) FROM (SELECT DISTINCT account_id FROM changed_rows) accounts;
        -- NOTIFY serialises the commits that send one: sent only when an account was not queued
        -- yet, so a burst of changes (or a stack without a cluster, which never drains the queue)
        -- sends at most one per account.
        WITH queued AS (
          INSERT INTO credentials.delivery_queue (account_id)
            SELECT DISTINCT account_id FROM changed_rows
            ON CONFLICT (account_id) DO NOTHING
            RETURNING 1)
        SELECT count(*) INTO added FROM queued;
        IF added > 0 THEN
          PERFORM pg_notify('keyward_delivery', '');
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION credentials.queue_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        added int;
      BEGIN
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
  }
}
