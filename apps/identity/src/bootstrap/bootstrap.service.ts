import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ADMIN_ACCOUNT_NAME, ADMIN_USERNAME, AccountType, SYSTEM_ACCOUNT_NAME, SYSTEM_USERNAME } from '@keyward/domain';
import { type AfterMigrations, KeyRing, KeyRingError } from '@keyward/nest-common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountRepository } from '../accounts/account.repository';
import { PasswordHasher } from '../auth/password-hasher';
import { IdentityConfig } from '../config';
import { ApiTokenRepository } from '../tokens/api-token.repository';
import { UserRepository } from '../users/user.repository';
import { announceGeneratedAdminPassword } from './admin-password';

export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Once the schema is up to date, creates the built-in accounts, once, whatever the number of
 * replicas starting together: the work runs under the migrations lock and skips what exists.
 * An existing admin password is never changed, whatever KEYWARD_ADMIN_PASSWORD says now.
 * Refuses to start when a token secret is sealed under a key the ring lacks.
 */
@Injectable()
export class BootstrapService implements AfterMigrations {
  private readonly logger = new Logger(BootstrapService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(IdentityConfig) private readonly config: IdentityConfig,
    private readonly accounts: AccountRepository,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly keyRing: KeyRing,
    private readonly tokens: ApiTokenRepository,
  ) {}

  async afterMigrations(): Promise<void> {
    await this.bootstrap();
    await this.assertKeysPresent();
  }

  /** Better a clear refusal at start than tokens that fail later: every sealing key must be in the ring. */
  private async assertKeysPresent(): Promise<void> {
    const missing = (await this.tokens.sealingKeyIds()).filter((id) => !this.keyRing.has(id));
    if (missing.length > 0) {
      throw new KeyRingError(
        `API token secrets are sealed under key(s) ${missing.join(', ')}, which KEYWARD_TOKEN_KEYS lacks: add them back (after the active key), run rotate-keys, then remove them`,
      );
    }
  }

  private async bootstrap(): Promise<void> {
    // The system account's password is random and never shown: no person logs in as it.
    await this.ensureAccount(SYSTEM_ACCOUNT_NAME, AccountType.Service, null, SYSTEM_USERNAME, generatePassword());
    const supplied = this.config.KEYWARD_ADMIN_PASSWORD;
    const password = supplied ?? generatePassword();
    const created = await this.ensureAccount(ADMIN_ACCOUNT_NAME, AccountType.Admin, this.config.KEYWARD_ADMIN_EMAIL ?? null, ADMIN_USERNAME, password);
    if (created && supplied === undefined) {
      await announceGeneratedAdminPassword(this.config.KEYWARD_DATA_DIR, password);
    }
  }

  private async ensureAccount(name: string, type: AccountType, email: string | null, username: string, password: string): Promise<boolean> {
    if (await this.accounts.findByName(name)) {
      return false;
    }
    const hash = await this.hasher.hash(password);
    await this.dataSource.transaction(async (manager) => {
      const account = await this.accounts.insert({ name, email, type }, manager);
      await this.users.insertWithPassword(account.id, username, hash, manager);
    });
    this.logger.log(`Created the ${name} account with user ${username}`);
    return true;
  }
}
