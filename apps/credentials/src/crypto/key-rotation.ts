import { type KeyRing, resealUnderActiveKey } from '@keyward/nest-common';
import { type DataSource } from 'typeorm';
import { credentialContext } from '../credentials/credential-context';
import { secretContext } from '../secrets/secret-context';

export interface RotationResult {
  credentials: number;
  secrets: number;
}

/** Re-seals every credential value and secret not sealed under the active key. */
export async function rotateKeys(dataSource: DataSource, keyRing: KeyRing, batchSize = 500): Promise<RotationResult> {
  const resealed = await resealUnderActiveKey(
    dataSource,
    keyRing,
    [
      { schema: 'credentials', table: 'credentials', column: 'values_sealed', context: credentialContext },
      { schema: 'credentials', table: 'secrets', column: 'data_sealed', context: secretContext },
    ],
    batchSize,
  );
  return { credentials: resealed['credentials'] ?? 0, secrets: resealed['secrets'] ?? 0 };
}
