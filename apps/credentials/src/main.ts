import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { IdentitySubjects } from '@keyward/contracts';
import { exitOnStartupFailure, KeyRing, KeyRingError, runMicroservice, sendOnce } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { loadCredentialsConfig } from './config';
import { CredentialsModule } from './credentials.module';
import { rotateKeys } from './crypto/key-rotation';
import { credentialsDataSourceOptions } from './database/credentials-data-source';

/** The rotation goes into identity's audit log; without NATS, it is reported instead. */
async function recordRotation(
  config: ReturnType<typeof loadCredentialsConfig>,
  keyId: string,
  resealed: { credentials: number; secrets: number },
): Promise<void> {
  const record = {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: { system: 'rotate-keys' },
    action: 'keys.rotate',
    resource: { type: 'keys', id: 'KEYWARD_MASTER_KEYS' },
    after: { keyId, ...resealed },
    result: { outcome: 'success' as const },
  };
  await sendOnce(config, 'credentials', IdentitySubjects.auditAppend, { records: [record] }).catch((error: unknown) => {
    process.stdout.write(
      `The rotation could not be recorded in the audit log (${error instanceof Error ? error.message : String(error)}): ${JSON.stringify(record)}\n`,
    );
  });
}

/** `main.js rotate-keys`: re-seal every record under the active key, report, and exit. */
async function rotate(config: ReturnType<typeof loadCredentialsConfig>, keyRing: KeyRing): Promise<void> {
  const dataSource = await new DataSource(credentialsDataSourceOptions(config.DATABASE_URL, 2)).initialize();
  try {
    const result = await rotateKeys(dataSource, keyRing);
    await recordRotation(config, keyRing.activeKeyId, result);
    process.stdout.write(
      `Re-sealed ${result.credentials} credential(s) and ${result.secrets} secret(s) under key ${keyRing.activeKeyId}. ` +
        'Every record is now sealed under the active key: older keys can be removed from KEYWARD_MASTER_KEYS.\n',
    );
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const config = loadCredentialsConfig();
  const keyRing = KeyRing.parse(config.KEYWARD_MASTER_KEYS);
  if (process.argv[2] === 'rotate-keys') {
    return rotate(config, keyRing);
  }
  await runMicroservice(
    'credentials',
    CredentialsModule.forRoot(config, keyRing),
    config,
    `credentials is listening on NATS; sealing with key ${keyRing.activeKeyId}`,
  );
}

main().catch(exitOnStartupFailure('credentials', [KeyRingError]));
