import { COMMON_SECRET_VARIABLES, DatabaseConfig, loadConfig } from '@keyward/nest-common';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class IdentityConfig extends DatabaseConfig {
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
}

export const IDENTITY_SECRET_VARIABLES = [...COMMON_SECRET_VARIABLES, 'KEYWARD_ADMIN_PASSWORD'];

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return loadConfig(IdentityConfig, env, IDENTITY_SECRET_VARIABLES);
}
