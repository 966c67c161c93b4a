import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { acceptGlobalOptionsEverywhere, globalOptionList } from './command';
import { registerAccountUserCommands } from './commands/account-user.commands';
import { registerAccountCommands } from './commands/account.commands';
import { registerAdminCommands } from './commands/admin.commands';
import { registerCredentialCommands } from './commands/credential.commands';
import { registerProjectCommands } from './commands/project.commands';
import { registerSecretCommands } from './commands/secret.commands';
import { registerTokenCommands } from './commands/token.commands';
import { ExitCode } from './http/errors';

/** The repository's version, from the package.json above this file (in src/ or in dist/). */
function version(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'keyward' && pkg.version) return pkg.version;
    } catch {
      // not here: look further up
    }
  }
  return 'unknown';
}

export function buildProgram(): Command {
  const program = new Command('keyward')
    .description("Keyward's command line: accounts and users (as anchore-cli), projects, credentials, secrets, API tokens")
    .version(version())
    // Global options before the command belong to the program; after it, to the command, so
    // that `credential create --url` can be the registry's URL (see command.ts).
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(add --help for additional information)')
    .configureHelp({ showGlobalOptions: true });
  for (const option of globalOptionList()) {
    program.addOption(option);
  }
  const account = registerAccountCommands(program);
  registerAccountUserCommands(account);
  registerProjectCommands(program);
  registerCredentialCommands(program);
  registerSecretCommands(program);
  registerTokenCommands(program);
  registerAdminCommands(program);
  acceptGlobalOptionsEverywhere(program);
  return program;
}

/** Runs the command line and answers its exit status. */
export async function run(argv: string[]): Promise<number> {
  process.exitCode = ExitCode.Success;
  try {
    await buildProgram().parseAsync(argv);
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      // Help and --version end here with 0; a usage mistake, already printed, with 1.
      return error.exitCode === 0 ? ExitCode.Success : ExitCode.Failure;
    }
    throw error;
  }
  return Number(process.exitCode ?? ExitCode.Success);
}
