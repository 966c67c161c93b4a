import { COMMON_SECRET_VARIABLES, DatabaseConfig, KEY_RING_REQUIRED, loadConfig } from '@keyward/nest-common';
import { IsEmpty, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';

export class CredentialsConfig extends DatabaseConfig {
  /**
   * The key ring that seals every stored value: `id:base64key[,id:base64key...]`, the first one
   * active. `npm start` creates one in the data folder (`master-keys`) for development.
   */
  @IsString()
  @IsNotEmpty({ message: KEY_RING_REQUIRED })
  KEYWARD_MASTER_KEYS: string;

  /** Identity's key ring opens API token secrets: the credentials service must not hold it. */
  @IsEmpty({ message: "must not be given to credentials: it is identity's key ring for API token secrets" })
  KEYWARD_TOKEN_KEYS?: string;

  /** A kubeconfig file: when set, labelled secrets are discovered from that cluster's API. */
  @IsOptional()
  @IsString()
  KEYWARD_KUBECONFIG?: string;

  /** The account whose inventory receives the discovered secrets (required with KEYWARD_KUBECONFIG). */
  @ValidateIf((config: CredentialsConfig) => config.KEYWARD_KUBECONFIG !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'is required when KEYWARD_KUBECONFIG is set: the account that owns the discovered secrets' })
  KEYWARD_KUBERNETES_ACCOUNT?: string;

  @IsInt()
  @Min(1)
  @Max(86_400)
  KEYWARD_KUBERNETES_SYNC_SECONDS: number = 60;
}

export const CREDENTIALS_SECRET_VARIABLES = [...COMMON_SECRET_VARIABLES, 'KEYWARD_MASTER_KEYS', 'KEYWARD_TOKEN_KEYS'];

export function loadCredentialsConfig(env: NodeJS.ProcessEnv = process.env): CredentialsConfig {
  return loadConfig(CredentialsConfig, env, CREDENTIALS_SECRET_VARIABLES);
}
