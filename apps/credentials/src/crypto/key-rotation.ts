import { type DataSource } from 'typeorm';
import { credentialContext } from '../credentials/credentials.service';
import { secretContext } from '../secrets/secrets.service';
import { type KeyRing } from './key-ring';

interface SealedTable {
  table: 'credentials' | 'secrets';
  column: 'values_sealed' | 'data_sealed';
  context: (id: string) => string;
}

const SEALED: SealedTable[] = [
  { table: 'credentials', column: 'values_sealed', context: credentialContext },
  { table: 'secrets', column: 'data_sealed', context: secretContext },
];

export interface RotationResult {
  credentials: number;
  secrets: number;
}

/**
 * Re-seals every record not sealed under the active key, in batches of short transactions
 * (`FOR UPDATE SKIP LOCKED`, so it can run beside the live service and be run again after an
 * interruption). Once it reports nothing left, the old keys can be removed from the ring.
 */
export async function rotateKeys(dataSource: DataSource, keyRing: KeyRing, batchSize = 500): Promise<RotationResult> {
  const result: RotationResult = { credentials: 0, secrets: 0 };
  for (const { table, column, context } of SEALED) {
    for (;;) {
      const done = await dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT id, ${column} AS sealed FROM credentials.${table}
            WHERE ${column} IS NOT NULL AND split_part(${column}, '.', 2) <> $1
            LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [keyRing.activeKeyId, batchSize],
        )) as Array<{ id: string; sealed: string }>;
        for (const row of rows) {
          const resealed = keyRing.seal(keyRing.open(row.sealed, context(row.id)), context(row.id));
          await manager.query(`UPDATE credentials.${table} SET ${column} = $1 WHERE id = $2`, [resealed, row.id]);
        }
        result[table] += rows.length;
        return rows.length < batchSize;
      });
      if (done) break;
    }
  }
  return result;
}
