import { type DataSource } from 'typeorm';
import { type KeyRing } from './key-ring';

/** A column of sealed values: `<schema>.<table>.<column>`, each sealed for the context of its row's id. */
export interface SealedColumn {
  schema: string;
  table: string;
  column: string;
  context: (id: string) => string;
}

/**
 * Re-seals every value of the columns that is not sealed under the active key, in batches of short
 * transactions (`FOR UPDATE SKIP LOCKED`, so it can run beside the live service and be run again
 * after an interruption). Answers how many values were re-sealed, per table. Once nothing is left
 * under an old key, that key can be removed from the ring.
 */
export async function resealUnderActiveKey(
  dataSource: DataSource,
  keyRing: KeyRing,
  columns: readonly SealedColumn[],
  batchSize = 500,
): Promise<Record<string, number>> {
  const resealed: Record<string, number> = {};
  for (const { schema, table, column, context } of columns) {
    resealed[table] = 0;
    for (;;) {
      const done = await dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT id, ${column} AS sealed FROM ${schema}.${table}
            WHERE ${column} IS NOT NULL AND split_part(${column}, '.', 2) <> $1
            LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [keyRing.activeKeyId, batchSize],
        )) as Array<{ id: string; sealed: string }>;
        for (const row of rows) {
          const value = keyRing.seal(keyRing.open(row.sealed, context(row.id)), context(row.id));
          await manager.query(`UPDATE ${schema}.${table} SET ${column} = $1 WHERE id = $2`, [value, row.id]);
        }
        resealed[table] = (resealed[table] ?? 0) + rows.length;
        return rows.length < batchSize;
      });
      if (done) break;
    }
  }
  return resealed;
}
