import { COMMON_SECRET_VARIABLES, DatabaseConfig, loadConfig } from '@keyward/nest-common';
import { IsNotEmpty, IsString } from 'class-validator';

export class CredentialsConfig extends DatabaseConfig {
  /**
   * The key ring that seals every secret value: `id:base64key[,id:base64key...]`, 32-byte keys,
   * the first one active. `npm start` creates one in the data folder for development.
   */
  @IsString()
  @IsNotEmpty({ message: 'is required: id:base64key with a 32-byte key, e.g. k1:$(openssl rand -base64 32)' })
  KEYWARD_MASTER_KEYS: string;
}

export const CREDENTIALS_SECRET_VARIABLES = [...COMMON_SECRET_VARIABLES, 'KEYWARD_MASTER_KEYS'];

export function loadCredentialsConfig(env: NodeJS.ProcessEnv = process.env): CredentialsConfig {
  return loadConfig(CredentialsConfig, env, CREDENTIALS_SECRET_VARIABLES);
}
