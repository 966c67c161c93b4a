import { type Command } from 'commander';
import { type AccountView, type CredentialView, type UserView } from '@keyward/contracts';
import { CredentialType } from '@keyward/domain';
import { action } from '../command';
import { type CliContext } from '../context';
import { type ApiClient, apiPath } from '../http/api-client';
import { ApiError } from '../http/errors';
import { keyValues, table } from '../output/format';

/** The account named by `--account`, else the caller's (the one `--as-account` selects, if any). */
async function accountOf(api: ApiClient, given: string | undefined): Promise<string> {
  return given ?? (await api.get<AccountView>('/v1/account')).name;
}

function userRecord(user: UserView): string {
  return keyValues([
    ['Name', user.username],
    ['Created', user.created_at],
  ]);
}

function password(ctx: CliContext, given: string | undefined, label: string): Promise<string> {
  return ctx.input.value(given, label);
}

/**
 * A user command that acts in one account, `--account` or else the caller's: `run` gets the
 * client and that account already resolved, and the command's arguments as commander parsed them.
 */
function inAccount(
  parent: Command,
  spec: string,
  description: string,
  run: (ctx: CliContext, api: ApiClient, target: string, args: readonly unknown[]) => Promise<void>,
): void {
  parent
    .command(spec)
    .description(description)
    .option('--account <account>', 'Optional account name')
    .action(
      action(async (ctx, command) => {
        const api = await ctx.api();
        const target = await accountOf(api, command.opts<{ account?: string }>().account);
        await run(ctx, api, target, command.processedArgs);
      }),
    );
}

const PASSWORD_SET_NOTE = "NOTE: Be sure to change the password you're using for this client if you have reset your own password";

/** `keyward account user ...`: anchore-cli's user commands. A password argument of `-` is read from stdin; left out, it is asked for. */
export function registerAccountUserCommands(account: Command): void {
  const user = account.command('user').description('Account user operations');

  inAccount(user, 'add <user_name> [user_password]', 'Add a new user', async (ctx, api, target, args) => {
    const [username, given] = args as [string, string | undefined];
    const secret = await password(ctx, given, `Password for ${username}`);
    const created = await api.post<UserView>(apiPath('/v1/accounts', target, 'users'), { username, password: secret });
    ctx.out.result(created, () => userRecord(created));
  });

  inAccount(user, 'get <user_name>', 'Get information about a user', async (ctx, api, target, args) => {
    const [username] = args as [string];
    const found = await api.get<UserView>(apiPath('/v1/accounts', target, 'users', username));
    ctx.out.result(found, () => userRecord(found));
  });

  inAccount(user, 'list', 'Get a list of account users', async (ctx, api, target) => {
    const users = await api.list<UserView>(apiPath('/v1/accounts', target, 'users'));
    ctx.out.result(users, () =>
      table(
        ['Name', 'Created'],
        users.map((u) => [u.username, u.created_at]),
        'Created',
      ),
    );
  });

  inAccount(user, 'del <user_name>', 'Delete a user', async (ctx, api, target, args) => {
    const [username] = args as [string];
    await api.delete(apiPath('/v1/accounts', target, 'users', username));
    ctx.out.result({}, () => 'Success\n');
  });

  user
    .command('setpassword [user_password]')
    .description("(Re)set a user's password credential: your own, or with --username (and --account) another user's")
    .option('--username <username>', 'Optional user name (default: you)')
    .option('--account <account>', 'Optional account name (default: yours)')
    .action(
      action(async (ctx, command) => {
        const [given] = command.processedArgs as [string | undefined];
        const options = command.opts<{ username?: string; account?: string }>();
        const api = await ctx.api();
        let changed: CredentialView;
        if (options.username === undefined && options.account === undefined) {
          const secret = await password(ctx, given, 'New password');
          const body = { type: CredentialType.Password, value: secret };
          try {
            changed = await api.post<CredentialView>('/v1/user/credentials', body);
          } catch (error: unknown) {
            // Signed in with an API token: the server wants the current password as proof.
            if (!(error instanceof ApiError) || !error.errorCodes.includes('CURRENT_PASSWORD_REQUIRED')) throw error;
            const currentPassword = await password(ctx, undefined, 'Current password');
            changed = await api.post<CredentialView>('/v1/user/credentials', { ...body, currentPassword });
          }
        } else {
          const username = options.username ?? (await api.get<UserView>('/v1/user')).username;
          const target = await accountOf(api, options.account);
          const secret = await password(ctx, given, `New password for ${username}`);
          changed = await api.post<CredentialView>(apiPath('/v1/accounts', target, 'users', username, 'credentials'), {
            type: CredentialType.Password,
            value: secret,
          });
        }
        ctx.out.result(changed, () => `Password (re)set success\n${PASSWORD_SET_NOTE}\n`);
      }),
    );
}
