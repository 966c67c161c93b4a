import { createHash } from 'node:crypto';
import { type Pool, type PoolClient } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { type PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * A statement on a request's hot path, run as a named prepared statement of `pg`: each pooled
 * connection parses it once, and PostgreSQL plans it once it has seen that a generic plan does as
 * well (after five runs), instead of parsing, analysing and planning it for every request (about
 * half of PostgreSQL's CPU per statement on these paths, ADR 12). The name is the statement's
 * identity on a connection: one name, one text.
 */
export class PreparedStatement<Row> {
  private static readonly names = new Set<string>();
  private static readonly shapes = new Map<string, PreparedStatement<unknown>>();

  /**
   * For a statement built from a request (a list's filters): one prepared statement per shape of
   * its text, named `<family>.<digest of the text>`, made on first use. Values never go into the
   * text, so the shapes are few.
   */
  static shaped<Row>(family: string, text: string): PreparedStatement<Row> {
    const name = `${family}.${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    let statement = PreparedStatement.shapes.get(name);
    if (!statement) {
      statement = new PreparedStatement<unknown>(name, text);
      PreparedStatement.shapes.set(name, statement);
    }
    return statement as PreparedStatement<Row>;
  }

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    if (PreparedStatement.names.has(name)) throw new Error(`Prepared statement ${name} is declared twice`);
    PreparedStatement.names.add(name);
  }

  /**
   * Its rows, from a pooled connection, or inside a transaction (`manager`) on the transaction's
   * connection. A failure is a TypeORM `QueryFailedError`, logged without its values, as every
   * other query's.
   */
  async run(dataSource: DataSource, values: unknown[], manager?: EntityManager): Promise<Row[]> {
    const runner = manager?.queryRunner as PostgresQueryRunner | undefined;
    const connection: Pool | PoolClient = runner ? ((await runner.connect()) as PoolClient) : ((dataSource.driver as PostgresDriver).master as Pool);
    try {
      return (await connection.query<Row & object>({ name: this.name, text: this.text, values })).rows;
    } catch (error: unknown) {
      dataSource.logger.logQueryError(error as Error, this.text, values);
      throw new QueryFailedError(this.text, values, error as Error);
    }
  }
}
