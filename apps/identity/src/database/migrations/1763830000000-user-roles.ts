import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Superuser (may do everything an admin-account user may) and staff (may read all metadata). */
export class UserRoles1763830000000 implements MigrationInterface {
  name = 'UserRoles1763830000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE identity.users ADD COLUMN superuser boolean NOT NULL DEFAULT false, ADD COLUMN staff boolean NOT NULL DEFAULT false`);
    await db.query(`CREATE INDEX users_roles_idx ON identity.users (username) WHERE superuser OR staff`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE identity.users DROP COLUMN superuser, DROP COLUMN staff`);
  }
}
