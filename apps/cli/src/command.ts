import { type Command, Option } from 'commander';
import { CliContext } from './context';
import { type ApiError, CliError, ExitCode } from './http/errors';
import { Output } from './output/output';
import { type GlobalOptions } from './settings/settings';

/**
 * The options every command takes. They are the program's; each subcommand also accepts them
 * after its name (`keyward account list --json`), except where the subcommand has an option of
 * the same name itself: `credential create --url` is the registry's URL, and the gateway's URL
 * then goes before the command (`keyward --url http://gw:8228 credential create --url ...`).
 */
export function globalOptionList(): Option[] {
  return [
    new Option('--u <username>', 'user to authenticate as (or KEYWARD_USER); with --u/--p the token file is not used'),
    new Option('--p <password>', 'its password (or KEYWARD_PASS); asked for when only --u is given'),
    new Option('--url <url>', "gateway URL (or KEYWARD_URL; else the token file's registry.base; else http://127.0.0.1:8228)"),
    new Option('--json', "print the API's JSON"),
    new Option('--config <file>', 'token file (or KEYWARD_CONFIG; default ~/.keyward)'),
    new Option('--as-account <account>', 'act in another account, as an administrator (or KEYWARD_ACCOUNT)'),
  ];
}

const globalCopies = new WeakSet<Option>();

/** Gives every subcommand a hidden copy of the global options it does not define itself. */
export function acceptGlobalOptionsEverywhere(command: Command): void {
  for (const sub of command.commands) {
    for (const option of globalOptionList()) {
      if (!sub.options.some((own) => own.long === option.long)) {
        option.hideHelp();
        globalCopies.add(option);
        sub.addOption(option);
      }
    }
    acceptGlobalOptionsEverywhere(sub);
  }
}

/** The global options, from the program down to `command`; a value given nearer the command wins. */
export function globalOptions(command: Command): GlobalOptions {
  const lineage: Command[] = [];
  for (let current: Command | null = command; current; current = current.parent) {
    lineage.unshift(current);
  }
  const merged: Record<string, unknown> = {};
  lineage.forEach((cmd, depth) => {
    const values = cmd.opts();
    for (const option of cmd.options) {
      const isGlobal = depth === 0 || globalCopies.has(option);
      const key = option.attributeName();
      if (isGlobal && values[key] !== undefined) merged[key] = values[key];
    }
  });
  return merged as GlobalOptions;
}

export interface ActionOptions {
  /** Notes to print under an API error, as anchore-cli adds to some. */
  notes?: (error: ApiError) => string[];
}

type Handler = (context: CliContext, command: Command) => Promise<void>;

/**
 * Wraps a command's work: builds its context from the global options, prints any failure as
 * anchore-cli does, and sets the exit status (0, 2 on 401 and 500, 1 otherwise).
 */
export function action(handler: Handler, options: ActionOptions = {}): (this: Command) => Promise<void> {
  return async function (this: Command): Promise<void> {
    const global = globalOptions(this);
    let context: CliContext;
    try {
      context = CliContext.fromOptions(global);
    } catch (error: unknown) {
      const out = new Output(global.json === true);
      out.failure(error instanceof Error ? error.message : String(error));
      process.exitCode = error instanceof CliError ? error.exitCode : ExitCode.Failure;
      return;
    }
    try {
      await handler(context, this);
    } catch (error: unknown) {
      process.exitCode = context.report(error, options.notes);
    }
  };
}
