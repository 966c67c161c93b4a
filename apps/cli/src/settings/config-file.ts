import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { CliError } from '../http/errors';

/**
 * `~/.keyward`: the `keyward` object of a `POST /v1/user/tokens` reply (docs/auth.md), saved as
 * it came. It holds a token secret, so it is written readable by its owner only.
 */
export interface KeywardConfig {
  registry: {
    token: string;
    username?: string;
    base?: string;
  };
}

function isKeywardConfig(value: unknown): value is KeywardConfig {
  if (typeof value !== 'object' || value === null) return false;
  const registry = (value as { registry?: unknown }).registry;
  if (typeof registry !== 'object' || registry === null) return false;
  const { token, username, base } = registry as Record<string, unknown>;
  return typeof token === 'string' && (username === undefined || typeof username === 'string') && (base === undefined || typeof base === 'string');
}

/** The config at `path`, or undefined when there is no file there. */
export function readConfig(path: string): KeywardConfig | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not JSON: expected {"registry": {"token": "kwt_...", "username": "...", "base": "http://..."}}`);
  }
  if (!isKeywardConfig(parsed)) {
    throw new CliError(`${path} has no registry.token: expected {"registry": {"token": "kwt_...", "username": "...", "base": "http://..."}}`);
  }
  return parsed;
}

/** A warning when others may read the file, as ssh gives for a private key. */
export function permissionWarning(path: string): string | undefined {
  try {
    const mode = statSync(path).mode & 0o777;
    return mode & 0o077 ? `WARNING: ${path} holds a token and is readable by others (mode ${mode.toString(8)}): chmod 600 ${path}` : undefined;
  } catch {
    return undefined;
  }
}

function serialize(config: KeywardConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Refuses, before anything is created, to replace an existing config file unless forced. */
export function assertMayWrite(path: string, force: boolean): void {
  if (!force && existsSync(path)) {
    throw new CliError(`${path} already exists: pass --force to replace it, or --config <file> to save elsewhere`);
  }
}

/**
 * Writes the config with mode 0600, through a temporary file in the same directory and a rename,
 * so no reader ever sees a partly written token and the secret is never readable by others.
 * An identical existing file is left alone; a different one is replaced only when forced.
 */
export function writeConfig(path: string, config: KeywardConfig, force: boolean): void {
  const content = serialize(config);
  if (existsSync(path)) {
    if (readFileSync(path, 'utf8') === content) {
      chmodSync(path, 0o600);
      return;
    }
    assertMayWrite(path, force);
  }
  const temporary = join(dirname(path), `.keyward-${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error: unknown) {
    rmSync(temporary, { force: true });
    throw new CliError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}
