import { type DataSourceOptions } from 'typeorm';
import { type MixedList } from 'typeorm/common/MixedList';
import { type EntitySchema } from 'typeorm';
import { QueryErrorLogger } from './query-error-logger';

export interface ServiceDataSourceOptions {
  url: string;
  /** The service's own schema: it reads and writes nothing else. */
  schema: string;
  entities: MixedList<string | (new () => unknown) | EntitySchema>;
  migrations: MixedList<string | (new () => unknown)>;
  poolSize?: number;
  applicationName: string;
}

/** Migrations are run explicitly under an advisory lock (see runMigrationsLocked), never by `synchronize`. */
export function serviceDataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    logger: new QueryErrorLogger(),
    extra: { max: options.poolSize ?? 10, application_name: options.applicationName },
  };
}
