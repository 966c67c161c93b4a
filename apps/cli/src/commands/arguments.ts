import { type Command, InvalidArgumentError } from 'commander';

/** For options given more than once: `--label a=1 --label b=2`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function integer(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

/** `true` or `false`, as the admin view takes roles. */
export function booleanWord(value: string): boolean {
  if (value !== 'true' && value !== 'false') {
    throw new InvalidArgumentError('expected true or false');
  }
  return value === 'true';
}

/** `key=value` into its two parts; `key` alone has no value (to be asked for). */
export function splitPair(pair: string): { key: string; value: string | undefined } {
  const equals = pair.indexOf('=');
  return equals < 0 ? { key: pair, value: undefined } : { key: pair.slice(0, equals), value: pair.slice(equals + 1) };
}

export function oneOf<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
}

export interface PageOptions {
  limit?: number;
  offset?: number;
}

/** `--limit` and `--offset` on a list; without `--limit`, every page is read. */
export function pageOptions(command: Command): Command {
  return command
    .option('--limit <n>', 'at most this many (default: all)', integer(1, 1000))
    .option('--offset <n>', 'skip this many', integer(0, Number.MAX_SAFE_INTEGER));
}
