import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseToken } from '@keyward/domain';
import { CliError } from '../http/errors';
import { type KeywardConfig } from './config-file';

export const DEFAULT_URL = 'http://127.0.0.1:8228';

/** The options every command takes, as anchore-cli's: `--u`, `--p`, `--url`, `--json`, plus `--config` and `--as-account`. */
export interface GlobalOptions {
  u?: string;
  p?: string;
  url?: string;
  json?: boolean;
  config?: string;
  asAccount?: string;
}

export type Auth =
  { kind: 'basic'; username: string; password: string | undefined } | { kind: 'token'; token: string; username: string | undefined } | { kind: 'none' };

export interface Settings {
  url: string;
  auth: Auth;
  /** The account an administrator acts in (`x-anchore-account`), when not their own. */
  account: string | undefined;
  configPath: string;
  json: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** `--config`, else `KEYWARD_CONFIG`, else `~/.keyward`. */
export function configPath(options: GlobalOptions, env: Environment, home: string = homedir()): string {
  return options.config ?? nonEmpty(env['KEYWARD_CONFIG']) ?? join(home, '.keyward');
}

/** Whether the user named a user or password (flags or environment), which then beat the token file. */
export function hasExplicitCredentials(options: GlobalOptions, env: Environment): boolean {
  return [options.u, options.p, env['KEYWARD_USER'], env['KEYWARD_PASS']].some((value) => nonEmpty(value) !== undefined);
}

/**
 * Who the requests authenticate as, and where they go:
 * - `--u`/`--p` (or `KEYWARD_USER`/`KEYWARD_PASS`) given: HTTP Basic, whatever the config file holds
 *   (a missing password is asked for);
 * - otherwise a token in the config file: every request signed with it;
 * - otherwise no credentials, and the server answers 401.
 * The URL is `--url`, else `KEYWARD_URL`, else the config file's `registry.base`, else the default.
 */
export function resolveSettings(options: GlobalOptions, env: Environment, config: KeywardConfig | undefined, path: string): Settings {
  const url = normalizeUrl(options.url ?? nonEmpty(env['KEYWARD_URL']) ?? nonEmpty(config?.registry.base) ?? DEFAULT_URL);
  return {
    url,
    auth: resolveAuth(options, env, config, path),
    account: options.asAccount ?? nonEmpty(env['KEYWARD_ACCOUNT']),
    configPath: path,
    json: options.json === true,
  };
}

function resolveAuth(options: GlobalOptions, env: Environment, config: KeywardConfig | undefined, path: string): Auth {
  if (hasExplicitCredentials(options, env)) {
    const username = options.u ?? nonEmpty(env['KEYWARD_USER']);
    if (username === undefined) {
      throw new CliError('A password was given without a user: pass --u <username> (or set KEYWARD_USER)');
    }
    return { kind: 'basic', username, password: options.p ?? nonEmpty(env['KEYWARD_PASS']) };
  }
  if (config) {
    if (!parseToken(config.registry.token)) {
      throw new CliError(`${path}: registry.token is not a Keyward API token (kwt_<id>_<secret>)`);
    }
    return { kind: 'token', token: config.registry.token, username: config.registry.username };
  }
  return { kind: 'none' };
}

/**
 * The gateway's base URL without a trailing slash. anchore-cli's URLs end in `/v1`
 * (`http://localhost:8228/v1`); that suffix is dropped so the same value works here.
 */
export function normalizeUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new CliError(`Not a URL: ${raw} (expected for example ${DEFAULT_URL})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`Not an http or https URL: ${raw}`);
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${parsed.origin}${path}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
