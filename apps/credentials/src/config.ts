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

  /**
   * The cluster credentials are delivered into (ADR 14): a kubeconfig file, or `in-cluster` for the
   * service account of the pod. Unset, nothing is delivered or discovered.
   */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  KEYWARD_KUBECONFIG?: string;

  /**
   * The account whose inventory receives the labelled secrets discovered in the cluster. Unset,
   * credentials are still delivered, but no secret is discovered.
   */
  @ValidateIf((config: CredentialsConfig) => config.KEYWARD_KUBERNETES_ACCOUNT !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'must name the account that owns the discovered secrets' })
  KEYWARD_KUBERNETES_ACCOUNT?: string;

  /**
   * Namespaces Keyward never delivers into, whatever project names them (comma-separated): the
   * cluster's own, and Keyward's. A project there shows an error in its delivery status.
   */
  @IsString()
  KEYWARD_DELIVERY_DENIED_NAMESPACES: string = 'kube-system,kube-public,kube-node-lease,default,keyward';

  /** Seconds between two full resyncs of every account's Secrets (changes are delivered at once; this repairs anything missed). */
  @IsInt()
  @Min(1)
  @Max(86_400)
  KEYWARD_KUBERNETES_SYNC_SECONDS: number = 300;

  /**
   * Seconds an account's "enabled", as identity answered it, is reused before the next write into
   * it asks again (every change identity reports forgets it at once); 0 asks on every write.
   */
  @IsInt()
  @Min(0)
  @Max(300)
  KEYWARD_ACCOUNT_STATE_CACHE_SECONDS: number = 5;
}

export const CREDENTIALS_SECRET_VARIABLES = [...COMMON_SECRET_VARIABLES, 'KEYWARD_MASTER_KEYS', 'KEYWARD_TOKEN_KEYS'];

export function loadCredentialsConfig(env: NodeJS.ProcessEnv = process.env): CredentialsConfig {
  return loadConfig(CredentialsConfig, env, CREDENTIALS_SECRET_VARIABLES);
}
