import { COMMON_SECRET_VARIABLES, loadConfig, SealingConfig } from '@keyward/nest-common';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';

export class CredentialsConfig extends SealingConfig {
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

export const CREDENTIALS_SECRET_VARIABLES = [...COMMON_SECRET_VARIABLES, 'KEYWARD_MASTER_KEYS'];

export function loadCredentialsConfig(env: NodeJS.ProcessEnv = process.env): CredentialsConfig {
  return loadConfig(CredentialsConfig, env, CREDENTIALS_SECRET_VARIABLES);
}
