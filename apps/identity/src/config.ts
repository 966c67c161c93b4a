import { COMMON_SECRET_VARIABLES, DatabaseConfig, KEY_RING_REQUIRED, loadConfig } from '@keyward/nest-common';
import { IsEmail, IsEmpty, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Identity seals API token secrets under a key ring of its own, never the credentials service's. */
export class IdentityConfig extends DatabaseConfig {
  /**
   * The key ring that seals API token secrets (identity needs them to check signed requests):
   * `id:base64key[,id:base64key...]`, the first one active. `npm start` creates one in the data
   * folder (`token-keys`) for development.
   */
  @IsString()
  @IsNotEmpty({ message: KEY_RING_REQUIRED })
  KEYWARD_TOKEN_KEYS: string;

  /** The credentials service's key ring opens every stored credential: identity must not hold it. */
  @IsEmpty({ message: "must not be given to identity: it is the credentials service's key ring; identity seals token secrets with KEYWARD_TOKEN_KEYS" })
  KEYWARD_MASTER_KEYS?: string;

  /** Email of the admin account, set once at bootstrap. */
  @IsOptional()
  @IsEmail({ require_tld: false }, { message: 'must be an email address' })
  KEYWARD_ADMIN_EMAIL?: string;

  /**
   * Password of the `admin` user, set once at bootstrap. Unset, a strong random one is generated,
   * printed once and written to KEYWARD_DATA_DIR/admin-password.
   */
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters long (or leave it unset to generate a strong one)' })
  @MaxLength(128, { message: 'must be at most 128 characters long' })
  KEYWARD_ADMIN_PASSWORD?: string;

  @IsString()
  KEYWARD_DATA_DIR: string = '.data';

  /** How long a console session lasts at most; sign-out and a password change end it sooner. */
  @IsInt()
  @Min(1)
  @Max(720)
  KEYWARD_SESSION_HOURS: number = 12;

  /** Failed logins (passwords and tokens) allowed per username or token and client address within the window before 429. */
  @IsInt()
  @Min(1)
  @Max(1000)
  KEYWARD_LOGIN_MAX_FAILURES: number = 5;

  /** Failed logins allowed per client address, whatever the username, within the window. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  KEYWARD_LOGIN_MAX_FAILURES_PER_ADDRESS: number = 50;

  @IsInt()
  @Min(1)
  @Max(86_400)
  KEYWARD_LOGIN_FAILURE_WINDOW_SECONDS: number = 300;

  /** How long audit records are kept, in days; 0 keeps them for ever. */
  @IsInt()
  @Min(0)
  @Max(36_500)
  KEYWARD_AUDIT_RETENTION_DAYS: number = 365;
}

export const IDENTITY_SECRET_VARIABLES = [...COMMON_SECRET_VARIABLES, 'KEYWARD_ADMIN_PASSWORD', 'KEYWARD_TOKEN_KEYS', 'KEYWARD_MASTER_KEYS'];

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return loadConfig(IdentityConfig, env, IDENTITY_SECRET_VARIABLES);
}
