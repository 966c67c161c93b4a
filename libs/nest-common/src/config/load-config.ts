import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

function describe(error: ValidationError, raw: Record<string, unknown>, secret: ReadonlySet<string>): string {
  const rules = Object.values(error.constraints ?? {})
    .map((rule) => (rule.startsWith(`${error.property} `) ? rule.slice(error.property.length + 1) : rule))
    .join('; ');
  // Never echo a value that may be a secret back into a log.
  const got = secret.has(error.property) ? '' : ` (got ${JSON.stringify(raw[error.property] ?? error.value)})`;
  return `${error.property}: ${rules}${got}`;
}

/**
 * Reads the environment into a validated, typed config class, once, at start. Each problem names the
 * variable and what it must be, so a misconfigured deployment fails fast with a message to act on.
 * Properties of the class are named exactly like the variables they read.
 */
export function loadConfig<T extends object>(ConfigClass: new () => T, env: NodeJS.ProcessEnv = process.env, secretVariables: readonly string[] = []): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(ConfigClass, present, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigurationError(errors.map((e) => describe(e, present, new Set(secretVariables))));
  }
  return config;
}
