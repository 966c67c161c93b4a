import { type Command } from 'commander';
import { type ApiTokenView, type CreatedTokenView, type KeywardClientConfig } from '@keyward/contracts';
import { parseToken } from '@keyward/domain';
import { action } from '../command';
import { apiPath } from '../http/api-client';
import { CliError } from '../http/errors';
import { keyValues, table } from '../output/format';
import { assertMayWrite, writeConfig } from '../settings/config-file';
import { integer, pageOptions, type PageOptions } from './arguments';

interface CreateOptions {
  name: string;
  expiresInDays?: number;
  readOnly?: boolean;
  save?: boolean;
  force?: boolean;
}

/** `keyward token ...`: API tokens, which sign requests instead of a password. */
export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API token operations');

  token
    .command('create')
    .description('Create an API token for yourself; it is shown once')
    .requiredOption('--name <name>', 'its name, unique among your tokens')
    .option('--expires-in-days <days>', 'lifetime, 1 to 365 (default 90)', integer(1, 365))
    .option('--read-only', 'allow only GET, HEAD and OPTIONS requests')
    .option('--save', 'write it to the config file (--config, KEYWARD_CONFIG or ~/.keyward, mode 0600), for every later command to sign with')
    .option('--force', 'with --save, replace an existing config file')
    .action(
      action(async (ctx, command) => {
        const options = command.opts<CreateOptions>();
        const path = ctx.settings.configPath;
        if (options.save === true) {
          // Refused before anything is created, so no token is left unsaved.
          assertMayWrite(path, options.force === true);
        }
        const api = await ctx.api();
        const created = await api.post<CreatedTokenView & { keyward?: KeywardClientConfig }>('/v1/user/tokens', {
          name: options.name,
          expiresInDays: options.expiresInDays,
          readOnly: options.readOnly === true,
        });
        const note =
          options.save === true
            ? `Saved to ${path} (mode 0600): later commands sign their requests with it.`
            : `NOTE: This is the only time the token is shown. Keep it, or create one with --save to write it to ${path}.`;
        ctx.out.result(
          created,
          () =>
            keyValues([
              ['Token', created.token],
              ['ID', created.id],
              ['Name', created.name],
              ['Username', created.username],
              ['Account', created.account],
              ['Read Only', created.readOnly],
              ['Created', created.created_at],
              ['Expires', created.expires_at],
            ]) + `${note}\n`,
        );
        if (options.save === true) {
          const config = created.keyward ?? { registry: { token: created.token, username: created.username, base: api.baseUrl } };
          writeConfig(path, config, options.force === true);
        }
      }),
    );

  pageOptions(
    token
      .command('list')
      .description("List your live tokens (with --all, everyone's)")
      .option('--all', 'every live token (administrators, superusers and staff)')
      .option('--account <account>', "with --all: only this account's")
      .option('--username <username>', "with --all: only this user's"),
  ).action(
    action(async (ctx, command) => {
      const options = command.opts<PageOptions & { all?: boolean; account?: string; username?: string }>();
      if (options.all !== true && (options.account !== undefined || options.username !== undefined)) {
        throw new CliError('--account and --username filter the tokens of --all');
      }
      const page = { limit: options.limit, offset: options.offset };
      const api = await ctx.api();
      const tokens =
        options.all === true
          ? await api.list<ApiTokenView>('/v1/admin/tokens', { account: options.account, username: options.username }, page)
          : await api.list<ApiTokenView>('/v1/user/tokens', {}, page);
      const header =
        options.all === true
          ? ['ID', 'Name', 'Username', 'Account', 'Read Only', 'Created', 'Expires', 'Last Used']
          : ['ID', 'Name', 'Read Only', 'Created', 'Expires', 'Last Used'];
      ctx.out.result(tokens, () =>
        table(
          header,
          tokens.map((t) =>
            options.all === true
              ? [t.id, t.name, t.username, t.account, t.readOnly, t.created_at, t.expires_at, t.last_used_at]
              : [t.id, t.name, t.readOnly, t.created_at, t.expires_at, t.last_used_at],
          ),
          'Created',
        ),
      );
    }),
  );

  token
    .command('revoke <id>')
    .description("Revoke one of your tokens (with --admin, anyone's)")
    .option('--admin', "revoke any user's token (administrators and superusers)")
    .option('--all', 'same as --admin')
    .action(
      action(async (ctx, command) => {
        const [id] = command.processedArgs as [string];
        const { admin, all } = command.opts<{ admin?: boolean; all?: boolean }>();
        const base = admin === true || all === true ? '/v1/admin/tokens' : '/v1/user/tokens';
        await (await ctx.api()).delete(apiPath(base, id));
        const saved = ctx.config ? parseToken(ctx.config.registry.token) : undefined;
        ctx.out.result({}, () =>
          saved?.id === id ? `Success\nNOTE: ${ctx.settings.configPath} holds this token, which is now refused: remove it or save a new one\n` : 'Success\n',
        );
      }),
    );
}
