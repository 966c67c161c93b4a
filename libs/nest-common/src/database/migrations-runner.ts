import { type OnModuleInit, type Provider, type Type } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import { runMigrationsLocked } from './migrate';

/** Work a service does once its schema is up to date, before it takes requests (bootstrap rows, start-up checks). */
export interface AfterMigrations {
  /** Runs under the migrations lock: one replica at a time. A failure stops the service's start. */
  afterMigrations(): Promise<void>;
}

/** Brings the service's schema up to date before it takes requests (runMigrationsLocked), then runs its AfterMigrations. */
export class MigrationsRunner implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly after?: AfterMigrations,
  ) {}

  onModuleInit(): Promise<void> {
    return runMigrationsLocked(this.dataSource, this.schema, () => this.after?.afterMigrations() ?? Promise.resolve());
  }
}

/**
 * The migrations runner of a service, as a provider of its root module. It runs in onModuleInit;
 * whatever reads or writes the schema starts in onApplicationBootstrap, which Nest calls once
 * every onModuleInit has ended. `after`, a provider of the same module, is what the service does
 * once the schema is current.
 */
export function migrationsRunner(schema: string, after?: Type<AfterMigrations>): Provider {
  return {
    provide: MigrationsRunner,
    useFactory: (dataSource: DataSource, hook?: AfterMigrations) => new MigrationsRunner(dataSource, schema, hook),
    inject: [getDataSourceToken(), ...(after ? [after] : [])],
  };
}
