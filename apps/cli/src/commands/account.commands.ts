import { type Command } from 'commander';
import { type AccountStatusView, type AccountView, type UserView } from '@keyward/contracts';
import { AccountState } from '@keyward/domain';
import { action } from '../command';
import { apiPath } from '../http/api-client';
import { keyValues, table } from '../output/format';
import { oneOf } from './arguments';

type AccountDetails = AccountView & { remaining?: Record<string, number> | null };

/** anchore-cli's account record: `account add` and `account get`. */
function accountRecord(account: AccountDetails): string {
  const pairs: Array<[string, unknown]> = [
    ['Name', account.name],
    ['Email', account.email],
    ['Type', account.type],
    ['State', account.state],
    ['Created', account.created_at],
  ];
  if (account.remaining !== undefined) {
    const remaining =
      account.remaining === null
        ? null
        : Object.entries(account.remaining)
            .map(([kind, count]) => `${kind}=${count}`)
            .join(', ');
    pairs.push(['Remaining', remaining]);
  }
  return keyValues(pairs);
}

const DELETE_NEEDS_DISABLED = 'accounts must be disabled (keyward account disable <account>) in order to be deleted';

/** `keyward account ...`: anchore-cli's account commands, with its arguments and output. */
export function registerAccountCommands(program: Command): Command {
  const account = program.command('account').description('Account operations');

  account
    .command('whoami')
    .description('Get current account/user information')
    .action(
      action(async (ctx) => {
        const api = await ctx.api();
        const [current, user] = await Promise.all([api.get<AccountView>('/v1/account'), api.get<UserView>('/v1/user')]);
        ctx.out.result({ account: current, user }, () =>
          keyValues([
            ['Username', user.username],
            ['AccountName', current.name],
            ['AccountEmail', current.email],
            ['AccountType', current.type],
          ]),
        );
      }),
    );

  account
    .command('add <account_name>')
    .description('Add a new account (with no populated users by default)')
    .option('--email <email>', 'Optional email address to associate with account')
    .action(
      action(async (ctx, command) => {
        const [name] = command.processedArgs as [string];
        const { email } = command.opts<{ email?: string }>();
        const created = await (await ctx.api()).post<AccountView>('/v1/accounts', email === undefined ? { name } : { name, email });
        ctx.out.result(created, () => accountRecord(created));
      }),
    );

  account
    .command('get <account_name>')
    .description('Get account information')
    .action(
      action(async (ctx, command) => {
        const [name] = command.processedArgs as [string];
        const found = await (await ctx.api()).get<AccountDetails>(apiPath('/v1/accounts', name));
        ctx.out.result(found, () => accountRecord(found));
      }),
    );

  account
    .command('list')
    .description('List information about all accounts (admin only)')
    .option('--state <state>', 'only accounts in this state', oneOf(Object.values(AccountState)))
    .action(
      action(async (ctx, command) => {
        const { state } = command.opts<{ state?: AccountState }>();
        const accounts = await (await ctx.api()).list<AccountView>('/v1/accounts', { state });
        ctx.out.result(accounts, () =>
          table(
            ['Name', 'Email', 'Type', 'State', 'Created'],
            accounts.map((a) => [a.name, a.email, a.type, a.state, a.created_at]),
            'Created',
          ),
        );
      }),
    );

  for (const [verb, state, summary] of [
    ['enable', AccountState.Enabled, 'Enable a disabled account'],
    ['disable', AccountState.Disabled, 'Disable an enabled account'],
  ] as const) {
    account
      .command(`${verb} <account_name>`)
      .description(summary)
      .action(
        action(async (ctx, command) => {
          const [name] = command.processedArgs as [string];
          const status = await (await ctx.api()).put<AccountStatusView>(apiPath('/v1/accounts', name, 'state'), { state });
          ctx.out.result(status, () => 'Success\n');
        }),
      );
  }

  account
    .command('del <account_name>')
    .description('Delete an account (must be disabled first)')
    .option('-y, --yes', 'Do not prompt for confirmation of account deletion')
    .option('--dontask', 'Same as --yes (anchore-cli)')
    .action(
      action(
        async (ctx, command) => {
          const [name] = command.processedArgs as [string];
          const { yes, dontask } = command.opts<{ yes?: boolean; dontask?: boolean }>();
          const confirmed =
            yes === true ||
            dontask === true ||
            (await ctx.input.confirm(
              `This operation is irreversible. Really delete account ${name} along with *all* users and resources associated with this account? (y/N)`,
            ));
          if (!confirmed) {
            return;
          }
          const status = await (await ctx.api()).delete<AccountStatusView>(apiPath('/v1/accounts', name));
          ctx.out.result(status, () => 'Success\n');
        },
        { notes: (error) => (error.errorCodes.includes('INVALID_STATE_CHANGE') ? [DELETE_NEEDS_DISABLED] : []) },
      ),
    );

  return account;
}
