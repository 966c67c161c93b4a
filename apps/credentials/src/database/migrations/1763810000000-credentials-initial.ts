import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CredentialsInitial1763810000000 implements MigrationInterface {
  name = 'CredentialsInitial1763810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credentials.projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL,
        name varchar(63) NOT NULL,
        namespace varchar(63) NOT NULL,
        description text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT projects_account_name_unique UNIQUE (account_id, name),
        -- A namespace belongs to one project: its labelled secrets must not serve two.
        CONSTRAINT projects_account_namespace_unique UNIQUE (account_id, namespace)
      )`);
    await db.query(`
      CREATE TABLE credentials.secrets (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        namespace varchar(253) NOT NULL,
        name varchar(253) NOT NULL,
        type text NOT NULL,
        labels jsonb NOT NULL DEFAULT '{}',
        data_keys text[] NOT NULL,
        data_sealed text NOT NULL,
        source text NOT NULL CHECK (source IN ('api', 'kubernetes')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT secrets_account_namespace_name_unique UNIQUE (account_id, namespace, name)
      )`);
    await db.query(`
      CREATE TABLE credentials.credentials (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        name varchar(253) NOT NULL,
        description text,
        type text NOT NULL CHECK (type IN ('docker-registry', 'access-key', 'password', 'kubernetes-secret')),
        scope text NOT NULL CHECK (scope IN ('project', 'all')),
        project_id uuid REFERENCES credentials.projects (id) ON DELETE RESTRICT,
        public_values jsonb,
        values_sealed text,
        existing_secret_id uuid REFERENCES credentials.secrets (id) ON DELETE RESTRICT,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- An existing secret backs one credential at most: the guarantee under concurrency.
        CONSTRAINT credentials_existing_secret_unique UNIQUE (existing_secret_id),
        CONSTRAINT credentials_scope_project CHECK ((scope = 'project') = (project_id IS NOT NULL)),
        CONSTRAINT credentials_one_source CHECK ((values_sealed IS NULL) <> (existing_secret_id IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX credentials_all_name_unique ON credentials.credentials (account_id, name) WHERE scope = 'all'`);
    await db.query(`CREATE UNIQUE INDEX credentials_project_name_unique ON credentials.credentials (account_id, project_id, name) WHERE scope = 'project'`);
    await db.query(`CREATE INDEX credentials_account_created_idx ON credentials.credentials (account_id, created_at, id)`);
    await db.query(`CREATE INDEX credentials_project_idx ON credentials.credentials (project_id) WHERE project_id IS NOT NULL`);
    await db.query(`
      CREATE TABLE credentials.export_audit (
        id bigserial PRIMARY KEY,
        account_id uuid NOT NULL,
        credential_id uuid NOT NULL,
        credential_name text NOT NULL,
        actor text NOT NULL,
        actor_account text NOT NULL,
        format text NOT NULL,
        address text NOT NULL,
        exported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX export_audit_account_idx ON credentials.export_audit (account_id, exported_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE credentials.export_audit`);
    await db.query(`DROP TABLE credentials.credentials`);
    await db.query(`DROP TABLE credentials.secrets`);
    await db.query(`DROP TABLE credentials.projects`);
  }
}
