import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Variables every Keyward process reads. Defaults work on a development machine. */
export class CommonConfig {
  /** One NATS server, or several of a cluster separated by commas: the client fails over between them. */
  @Matches(/^nats:\/\/[^,\s]+(\s*,\s*nats:\/\/[^,\s]+)*$/, {
    message: 'must be a nats:// URL, or several separated by commas, e.g. nats://127.0.0.1:4222 or nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222',
  })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  @IsOptional()
  @IsString()
  NATS_USER?: string;

  @IsOptional()
  @IsString()
  NATS_PASSWORD?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'must be letters, digits, - or _ (it becomes the first token of every subject)' })
  KEYWARD_NATS_PREFIX?: string;

  @IsInt()
  @Min(100)
  @Max(120000)
  KEYWARD_NATS_TIMEOUT_MS: number = 5000;

  /** How long a request that found no service listening is retried (a service failing over or restarting), within the timeout. 0: never. */
  @IsInt()
  @Min(0)
  @Max(120000)
  KEYWARD_NATS_FAILOVER_MS: number = 2000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** The NATS services' metrics port (default identity 9101, credentials 9102, reaper 9103; 0: any free port). The gateway serves /metrics on its own port. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  KEYWARD_METRICS_PORT?: number;

  /** The address the metrics port listens on: loopback unless a scraper elsewhere must reach it. */
  @IsString()
  KEYWARD_METRICS_HOST: string = '127.0.0.1';
}

/** The servers of NATS_URL, for the client's `servers` option. */
export function natsServers(config: Pick<CommonConfig, 'NATS_URL'>): string[] {
  return config.NATS_URL.split(',').map((url) => url.trim());
}

export class DatabaseConfig extends CommonConfig {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/keyward' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/keyward';

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;
}

/** How every key ring variable reads: `id:base64key[,id:base64key...]`, 32-byte keys, the first one active. */
export const KEY_RING_REQUIRED = 'is required: id:base64key with a 32-byte key, e.g. k1:$(openssl rand -base64 32)';

export const COMMON_SECRET_VARIABLES = ['NATS_PASSWORD', 'DATABASE_URL'] as const;
