import { type Command } from 'commander';
import { type AdminUserView } from '@keyward/contracts';
import { action } from '../command';
import { apiPath } from '../http/api-client';
import { CliError } from '../http/errors';
import { keyValues, table } from '../output/format';
import { booleanWord, pageOptions, type PageOptions } from './arguments';

interface ListOptions extends PageOptions {
  account?: string;
  staff?: boolean;
  superuser?: boolean;
  usernamePrefix?: string;
}

function adminUserRecord(user: AdminUserView): string {
  return keyValues([
    ['Username', user.username],
    ['Account', user.account],
    ['Type', user.type],
    ['Staff', user.staff],
    ['Superuser', user.superuser],
    ['Created', user.created_at],
    ['Updated', user.last_updated],
  ]);
}

/** `keyward admin user ...`: users of every account and their roles (administrators and superusers). */
export function registerAdminCommands(program: Command): void {
  const user = program.command('admin').description('Administration across accounts').command('user').description('Users of every account and their roles');

  pageOptions(
    user
      .command('list')
      .description('List users of every account with their roles')
      .option('--account <account>', "only this account's users")
      .option('--staff', 'only staff')
      .option('--no-staff', 'only users who are not staff')
      .option('--superuser', 'only superusers')
      .option('--no-superuser', 'only users who are not superusers')
      .option('--username-prefix <prefix>', 'only usernames that start with this'),
  ).action(
    action(async (ctx, command) => {
      const options = command.opts<ListOptions>();
      const users = await (
        await ctx.api()
      ).list<AdminUserView>(
        '/v1/admin/users',
        { account: options.account, staff: options.staff, superuser: options.superuser, username: options.usernamePrefix },
        { limit: options.limit, offset: options.offset },
      );
      ctx.out.result(users, () =>
        table(
          ['Username', 'Account', 'Type', 'Staff', 'Superuser', 'Created'],
          users.map((u) => [u.username, u.account, u.type, u.staff, u.superuser, u.created_at]),
        ),
      );
    }),
  );

  user
    .command('set <username>')
    .description("Set a user's roles; they apply from the user's next request")
    .option('--staff <true|false>', "may read every account's metadata", booleanWord)
    .option('--superuser <true|false>', 'may do everything an administrator may', booleanWord)
    .action(
      action(async (ctx, command) => {
        const [username] = command.processedArgs as [string];
        const { staff, superuser } = command.opts<{ staff?: boolean; superuser?: boolean }>();
        if (staff === undefined && superuser === undefined) {
          throw new CliError('Nothing to set: pass --staff true|false and/or --superuser true|false');
        }
        const updated = await (await ctx.api()).patch<AdminUserView>(apiPath('/v1/admin/users', username), { staff, superuser });
        ctx.out.result(updated, () => adminUserRecord(updated));
      }),
    );
}
