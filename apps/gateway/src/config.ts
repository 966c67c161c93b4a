import { CommonConfig, COMMON_SECRET_VARIABLES, loadConfig } from '@keyward/nest-common';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { resolve } from 'node:path';

/** Where `npm run build` leaves the console: dist/console, beside dist/apps/gateway/src. */
const BUILT_CONSOLE_DIR = resolve(__dirname, '..', '..', '..', 'console');

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

  /**
   * The gateway's address as clients reach it, written into the `~/.keyward` JSON of new tokens.
   * Unset, it is taken from each request (its Host, and X-Forwarded-Proto behind a trusted proxy).
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be an http:// or https:// URL with no path, e.g. https://keyward.example.com' })
  KEYWARD_PUBLIC_URL?: string;

  /**
   * The proxies in front of the gateway whose X-Forwarded-For is believed: `false` (none), a hop
   * count, or a comma-separated list of their addresses and CIDRs. `true` (every hop) is refused:
   * it lets a client choose the address the login throttle and the export audit see.
   */
  @Matches(/^(false|0|[1-9]\d?|[0-9A-Fa-f:.]+(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f:.]+(\/\d{1,3})?)*)$/, {
    message: "must be false, a hop count (1 for one proxy) or the proxies' addresses and CIDRs, comma-separated (10.0.0.0/8,127.0.0.1); never true",
  })
  KEYWARD_TRUST_PROXY: string = 'false';

  /** The built web console served at `/`; the gateway serves the API alone when it is missing. */
  @IsString()
  KEYWARD_CONSOLE_DIR: string = BUILT_CONSOLE_DIR;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(GatewayConfig, env, COMMON_SECRET_VARIABLES);
}

/** Fastify's `trustProxy` for a KEYWARD_TRUST_PROXY value. */
export function trustProxySetting(raw: string): false | number | string[] {
  if (raw === 'false' || raw === '0') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((part) => part.trim());
}
