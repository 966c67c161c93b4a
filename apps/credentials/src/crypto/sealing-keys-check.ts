import { Injectable } from '@nestjs/common';
import { type AfterMigrations, KeyRing, KeyRingError } from '@keyward/nest-common';
import { CredentialRepository } from '../credentials/credential.repository';
import { SecretRepository } from '../secrets/secret.repository';

/**
 * Refuses to start when stored values are sealed under a key the ring lacks: better a clear
 * message at start than failed exports later.
 */
@Injectable()
export class SealingKeysCheck implements AfterMigrations {
  constructor(
    private readonly keyRing: KeyRing,
    private readonly credentials: CredentialRepository,
    private readonly secrets: SecretRepository,
  ) {}

  async afterMigrations(): Promise<void> {
    const used = new Set([...(await this.credentials.sealingKeyIds()), ...(await this.secrets.sealingKeyIds())]);
    const missing = [...used].filter((id) => !this.keyRing.has(id));
    if (missing.length > 0) {
      throw new KeyRingError(
        `Stored values are sealed under key(s) ${missing.join(', ')}, which KEYWARD_MASTER_KEYS lacks: add them back (after the active key), run rotate-keys, then remove them`,
      );
    }
  }
}
