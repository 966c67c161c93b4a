import { type Pool } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A statement on a request's hot path, run as a named prepared statement of `pg`: each pooled
 * connection parses it once, and PostgreSQL plans it once it has seen that a generic plan does as
 * well (after five runs), instead of parsing, analysing and planning it for every request (about
 * half of PostgreSQL's CPU per statement on these paths, ADR 12). The name is the statement's
 * identity on a connection: one name, one text.
 */
export class PreparedStatement<Row> {
  private static readonly names = new Set<string>();

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    if (PreparedStatement.names.has(name)) throw new Error(`Prepared statement ${name} is declared twice`);
    PreparedStatement.names.add(name);
  }

  /**
   * Its rows, from a pooled connection; inside a transaction (`manager`), on the transaction's
   * connection as a plain query. A failure is a TypeORM `QueryFailedError`, logged without its
   * values, as every other query's.
   */
  async run(dataSource: DataSource, values: unknown[], manager?: EntityManager): Promise<Row[]> {
    if (manager) return (await manager.query(this.text, values)) as Row[];
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    try {
      return (await pool.query<Row & object>({ name: this.name, text: this.text, values })).rows;
    } catch (error: unknown) {
      const failure = new QueryFailedError(this.text, values, error as Error);
      dataSource.logger.logQueryError(error as Error, this.text, values);
      throw failure;
    }
  }
}
