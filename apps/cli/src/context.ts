import { ApiClient } from './http/api-client';
import { ApiError, CliError, ExitCode, UnreachableError } from './http/errors';
import { Input } from './input/input';
import { Output } from './output/output';
import { readConfig, permissionWarning, type KeywardConfig } from './settings/config-file';
import { configPath, type Environment, type GlobalOptions, hasExplicitCredentials, resolveSettings, type Settings } from './settings/settings';

/** What a command needs: its settings, an API client, the user's input and the output. */
export class CliContext {
  private client: ApiClient | undefined;

  constructor(
    readonly settings: Settings,
    readonly out: Output,
    readonly input: Input,
    readonly config: KeywardConfig | undefined,
  ) {}

  static fromOptions(options: GlobalOptions, env: Environment = process.env): CliContext {
    const out = new Output(options.json === true);
    const path = configPath(options, env);
    let config: KeywardConfig | undefined;
    try {
      config = readConfig(path);
    } catch (error: unknown) {
      // With a user and password given, a broken token file is in the way of nothing (not even of
      // `token create --save --force`, which replaces it).
      if (!(error instanceof CliError) || !hasExplicitCredentials(options, env)) throw error;
      out.warn(`WARNING: ignoring ${error.message}`);
    }
    const settings = resolveSettings(options, env, config, path);
    if (settings.auth.kind === 'token') {
      const warning = permissionWarning(path);
      if (warning) out.warn(warning);
    }
    return new CliContext(settings, out, new Input(), config);
  }

  /** The client, once a missing password has been asked for. */
  async api(): Promise<ApiClient> {
    if (!this.client) {
      let auth = this.settings.auth;
      if (auth.kind === 'basic' && auth.password === undefined) {
        auth = { ...auth, password: await this.input.secret(`Password for ${auth.username}`) };
      }
      this.client = new ApiClient({ baseUrl: this.settings.url, auth, account: this.settings.account });
    }
    return this.client;
  }

  /** Prints a failure the way its kind is printed and answers the exit status for it. */
  report(error: unknown, notes: (error: ApiError) => string[] = () => []): ExitCode {
    if (error instanceof ApiError) {
      const hints = [...notes(error)];
      if (error.status === 401 && this.settings.auth.kind === 'none') {
        hints.push(
          'no credentials: pass --u <user> --p <password>, set KEYWARD_USER and KEYWARD_PASS, or save a token with: keyward token create --name <name> --save',
        );
      }
      this.out.apiError(error, hints);
      return error.exitCode;
    }
    if (error instanceof UnreachableError || error instanceof CliError) {
      this.out.failure(error.message);
      return error.exitCode;
    }
    this.out.failure(error instanceof Error ? error.message : String(error));
    return ExitCode.Failure;
  }
}
