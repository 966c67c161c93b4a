import { CommonConfig, COMMON_SECRET_VARIABLES, loadConfig } from '@keyward/nest-common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class GatewayConfig extends CommonConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  KEYWARD_PORT: number = 8228;

  @IsString()
  KEYWARD_HOST: string = '127.0.0.1';

  /** How long a verified password is trusted without asking identity again; changes evict at once. */
  @IsInt()
  @Min(0)
  @Max(3600)
  KEYWARD_AUTH_CACHE_TTL_SECONDS: number = 300;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  KEYWARD_AUTH_CACHE_SIZE: number = 10_000;

  /** Failed logins allowed per username and client address within the window before 429. */
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

  /**
   * The gateway's address as clients reach it, written into the `~/.keyward` JSON of new tokens.
   * Unset, it is taken from each request (its Host, and X-Forwarded-Proto behind a trusted proxy).
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be an http:// or https:// URL with no path, e.g. https://keyward.example.com' })
  KEYWARD_PUBLIC_URL?: string;

  /** Trust X-Forwarded-For from a reverse proxy in front of the gateway. */
  @Transform(({ value }: { value: unknown }) => ({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[String(value)] ?? value)
  @IsBoolean()
  KEYWARD_TRUST_PROXY: boolean = false;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(GatewayConfig, env, COMMON_SECRET_VARIABLES);
}
