import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A project's namespace belongs to one project of one account in the whole installation (it was
 * unique only within an account): credentials are delivered into it, so no account may share
 * another's. An installation where two accounts already share one is not changed: the migration
 * stops and names them, to be settled by hand (give one project another namespace, in SQL).
 */
export class NamespacesUnique1764910000000 implements MigrationInterface {
  name = 'NamespacesUnique1764910000000';

  async up(db: QueryRunner): Promise<void> {
    const shared = (await db.query(
      `SELECT namespace, count(*)::int AS projects FROM credentials.projects GROUP BY namespace HAVING count(*) > 1 ORDER BY namespace LIMIT 20`,
    )) as Array<{ namespace: string; projects: number }>;
    if (shared.length > 0) {
      throw new Error(
        `Project namespaces must be unique across accounts, and these are shared: ${shared.map((row) => `${row.namespace} (${row.projects} projects)`).join(', ')}. ` +
          'Give all but one of each another namespace (UPDATE credentials.projects SET namespace = ... WHERE id = ...), then start again.',
      );
    }
    await db.query('ALTER TABLE credentials.projects ADD CONSTRAINT projects_namespace_unique UNIQUE (namespace)');
    await db.query('ALTER TABLE credentials.projects DROP CONSTRAINT projects_account_namespace_unique');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE credentials.projects ADD CONSTRAINT projects_account_namespace_unique UNIQUE (account_id, namespace)');
    await db.query('ALTER TABLE credentials.projects DROP CONSTRAINT projects_namespace_unique');
  }
}
