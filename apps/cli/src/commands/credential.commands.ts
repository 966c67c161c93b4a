import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { type Command } from 'commander';
import { type StoredCredentialView } from '@keyward/contracts';
import { CredentialScope, ExportFormat, StoredCredentialType } from '@keyward/domain';
import { action } from '../command';
import { apiPath } from '../http/api-client';
import { CliError } from '../http/errors';
import { oneOf, pageOptions, type PageOptions } from './arguments';
import { credentialMaterial, type MaterialOptions } from './credential-material';
import { credentialRecord, credentialTable } from './credential-views';

interface CreateOptions extends MaterialOptions {
  type: StoredCredentialType;
  scope?: CredentialScope;
  project?: string;
  name: string;
  description?: string;
}

/** Writes an export readable by its owner only, whatever the umask (a shell's `>` would not). */
function writePrivate(path: string, content: string): void {
  try {
    if (existsSync(path)) chmodSync(path, 0o600);
    writeFileSync(path, content, { mode: 0o600 });
  } catch (error: unknown) {
    throw new CliError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}

/** `keyward credential ...`: stored credentials. Values are write-only; only `export` shows them. */
export function registerCredentialCommands(program: Command): void {
  const credential = program.command('credential').description('Stored credential operations');

  credential
    .command('create')
    .description(
      'Create a credential. Values per type: docker-registry --url --username --password; access-key --access-key-id ' +
        '--secret-access-key; password --username --password; kubernetes-secret --existing-secret. A secret value of - is ' +
        'read from stdin; left out, it is asked for.',
    )
    .requiredOption('--type <type>', Object.values(StoredCredentialType).join('|'), oneOf(Object.values(StoredCredentialType)))
    .requiredOption('--name <name>', 'its name (a Kubernetes object name)')
    .option('--scope <scope>', 'project (one project; the default with --project) or all (every project)', oneOf(Object.values(CredentialScope)))
    .option('--project <project>', 'the project, for scope project')
    .option('--description <text>', 'what it is for')
    .option('--url <url>', 'docker-registry: the registry')
    .option('--username <username>', 'docker-registry, password: the user name')
    .option('--password <password>', 'docker-registry, password: the password (- reads stdin)')
    .option('--access-key-id <id>', 'access-key: the key id')
    .option('--secret-access-key <key>', 'access-key: the secret key (- reads stdin)')
    .option('--existing-secret <namespace/name>', 'use a secret of the inventory instead of values')
    .action(
      action(async (ctx, command) => {
        const options = command.opts<CreateOptions>();
        const scope = options.scope ?? (options.project !== undefined ? CredentialScope.Project : undefined);
        if (scope === undefined) {
          throw new CliError('--scope is required: project (with --project <project>) or all');
        }
        const material = await credentialMaterial(options.type, options, ctx.input);
        const created = await (
          await ctx.api()
        ).post<StoredCredentialView>('/v1/credentials', {
          name: options.name,
          description: options.description,
          type: options.type,
          scope,
          project: options.project,
          ...material,
        });
        ctx.out.result(created, () => credentialRecord(created));
      }),
    );

  pageOptions(
    credential
      .command('list')
      .description("List the account's credentials")
      .option('--type <type>', 'only this type', oneOf(Object.values(StoredCredentialType)))
      .option('--scope <scope>', 'only this scope', oneOf(Object.values(CredentialScope)))
      .option('--project <project>', "only this project's own"),
  ).action(
    action(async (ctx, command) => {
      const { type, scope, project, limit, offset } = command.opts<PageOptions & { type?: string; scope?: string; project?: string }>();
      const credentials = await (await ctx.api()).list<StoredCredentialView>('/v1/credentials', { type, scope, project }, { limit, offset });
      ctx.out.result(credentials, () => credentialTable(credentials));
    }),
  );

  credential
    .command('get <id>')
    .description('Get a credential (secret values masked)')
    .action(
      action(async (ctx, command) => {
        const [id] = command.processedArgs as [string];
        const found = await (await ctx.api()).get<StoredCredentialView>(apiPath('/v1/credentials', id));
        ctx.out.result(found, () => credentialRecord(found));
      }),
    );

  credential
    .command('update <id>')
    .description("Rename a credential, change its description, or move it to another scope (values: see the API's PATCH)")
    .option('--name <name>', 'the new name')
    .option('--description <text>', 'the new description')
    .option('--scope <scope>', 'project (with --project) or all', oneOf(Object.values(CredentialScope)))
    .option('--project <project>', 'the project, for scope project')
    .action(
      action(async (ctx, command) => {
        const [id] = command.processedArgs as [string];
        const { name, description, scope, project } = command.opts<{ name?: string; description?: string; scope?: string; project?: string }>();
        if (name === undefined && description === undefined && scope === undefined && project === undefined) {
          throw new CliError('Nothing to change: pass --name, --description, --scope or --project');
        }
        const updated = await (await ctx.api()).patch<StoredCredentialView>(apiPath('/v1/credentials', id), { name, description, scope, project });
        ctx.out.result(updated, () => credentialRecord(updated));
      }),
    );

  credential
    .command('delete <id>')
    .description('Delete a credential, freeing the existing secret it used')
    .action(
      action(async (ctx, command) => {
        const [id] = command.processedArgs as [string];
        await (await ctx.api()).delete(apiPath('/v1/credentials', id));
        ctx.out.result({}, () => 'Success\n');
      }),
    );

  credential
    .command('export <id>')
    .description('Print the credential in clear, in a format a workload consumes (every export is audited)')
    .requiredOption('--format <format>', Object.values(ExportFormat).join('|'), oneOf(Object.values(ExportFormat)))
    .option('-o, --output <file>', 'write it to this file (mode 0600) instead of stdout')
    .action(
      action(async (ctx, command) => {
        const [id] = command.processedArgs as [string];
        const { format, output } = command.opts<{ format: ExportFormat; output?: string }>();
        const content = await (await ctx.api()).text('POST', apiPath('/v1/credentials', id, 'export'), { format });
        const text = content.endsWith('\n') ? content : `${content}\n`;
        if (output === undefined) {
          ctx.out.raw(text);
        } else {
          writePrivate(output, text);
        }
      }),
    );
}
