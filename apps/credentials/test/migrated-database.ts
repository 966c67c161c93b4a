import { TestDatabase } from '@keyward/testing';
import { DataSource } from 'typeorm';
import { credentialsDataSourceOptions } from '../src/database/credentials-data-source';

/** For integration tests: a database of its own with the credentials schema migrated, and a data source on it; `close` drops both. */
export async function migratedCredentialsDatabase(): Promise<{ database: TestDatabase; dataSource: DataSource; close: () => Promise<void> }> {
  const database = await TestDatabase.create();
  await database.query('CREATE SCHEMA credentials');
  const dataSource = new DataSource(credentialsDataSourceOptions(database.url, 4));
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    database,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
