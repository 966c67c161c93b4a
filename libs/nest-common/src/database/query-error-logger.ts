import { Logger } from '@nestjs/common';
import { type Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's log, without the values: a failed query is logged with its SQL and PostgreSQL's error
 * code, never its parameters (they hold sealed values, password hashes, names). Constraint
 * violations (SQLSTATE class 23) are what services turn into 409s: logged at debug level only.
 */
export class QueryErrorLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    const line = `Query failed (${typeof code === 'string' ? code : 'no code'}): ${typeof error === 'string' ? error : error.message} -- ${query.replace(/\s+/g, ' ').slice(0, 500)}`;
    if (typeof code === 'string' && code.startsWith('23')) this.logger.debug(line);
    else this.logger.warn(line);
  }

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(): void {}

  /** TypeORM's own notes (e.g. on the uuid-ossp extension, which Keyward does not use) are not logged. */
  log(): void {}
}
