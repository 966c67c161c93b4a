import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The login throttle's counters (rate-limiter-flexible's PostgreSQL layout), shared by every replica. */
export class LoginFailures1764730000000 implements MigrationInterface {
  name = 'LoginFailures1764730000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity.login_failures (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE identity.login_failures');
  }
}
