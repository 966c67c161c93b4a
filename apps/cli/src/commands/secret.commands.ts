import { readFileSync } from 'node:fs';
import { type Command } from 'commander';
import { type SecretView } from '@keyward/contracts';
import { action } from '../command';
import { apiPath } from '../http/api-client';
import { CliError } from '../http/errors';
import { type Input } from '../input/input';
import { collect, pageOptions, type PageOptions, splitPair } from './arguments';
import { secretRecord, secretTable } from './credential-views';

interface CreateOptions {
  namespace: string;
  name: string;
  type?: string;
  label: string[];
  data: string[];
  fromFile: string[];
}

function labelsOf(pairs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const { key, value } = splitPair(pair);
    if (key === '' || value === undefined) {
      throw new CliError(`--label ${pair}: expected key=value`);
    }
    labels[key] = value;
  }
  return labels;
}

/** `--data key=value`, `--data key=-` (stdin), `--data key` (asked for), `--from-file key=path`. */
async function dataOf(options: CreateOptions, input: Input): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  for (const pair of options.data) {
    const { key, value } = splitPair(pair);
    if (key === '') throw new CliError(`--data ${pair}: expected key=value`);
    data[key] = await input.value(value, `Value of ${key}`);
  }
  for (const pair of options.fromFile) {
    const { key, value: path } = splitPair(pair);
    if (key === '' || path === undefined) throw new CliError(`--from-file ${pair}: expected key=path`);
    try {
      data[key] = readFileSync(path, 'utf8');
    } catch (error: unknown) {
      throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
    }
  }
  if (Object.keys(data).length === 0) {
    throw new CliError('A secret needs data: pass --data key=value (- reads stdin) or --from-file key=path');
  }
  return data;
}

/** `namespace/name`, as credentials name an existing secret. */
function secretRef(ref: string): [string, string] {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) {
    throw new CliError(`${ref}: expected <namespace>/<name>`);
  }
  return [ref.slice(0, slash), ref.slice(slash + 1)];
}

/** `keyward secret ...`: the inventory of existing secrets. Their data is write-only. */
export function registerSecretCommands(program: Command): void {
  const secret = program.command('secret').description('Existing secret operations');

  secret
    .command('create')
    .description('Register an existing secret')
    .requiredOption('--namespace <namespace>', 'its namespace')
    .requiredOption('--name <name>', 'its name')
    .option('--type <type>', 'its Kubernetes type (default Opaque)')
    .option(
      '--label <key=value>',
      'a label (repeatable): keyward.io/credentials=true in a project namespace, keyward.io/cluster-wide-credentials=true in keyward',
      collect,
      [],
    )
    .option('--data <key=value>', 'a data entry (repeatable); key=- reads the value from stdin, key alone asks for it', collect, [])
    .option('--from-file <key=path>', 'a data entry read from a file (repeatable)', collect, [])
    .action(
      action(async (ctx, command) => {
        const options = command.opts<CreateOptions>();
        const labels = labelsOf(options.label);
        const data = await dataOf(options, ctx.input);
        const created = await (
          await ctx.api()
        ).post<SecretView>('/v1/secrets', {
          namespace: options.namespace,
          name: options.name,
          type: options.type,
          labels,
          data,
        });
        ctx.out.result(created, () => secretRecord(created));
      }),
    );

  pageOptions(
    secret
      .command('list')
      .description('List the inventory, with the credential using each secret')
      .option('--unused', 'only secrets no credential uses')
      .option('--project <project>', 'only secrets a credential of this project may use'),
  ).action(
    action(async (ctx, command) => {
      const { unused, project, limit, offset } = command.opts<PageOptions & { unused?: boolean; project?: string }>();
      const secrets = await (await ctx.api()).list<SecretView>('/v1/secrets', { unused: unused === true ? 'true' : undefined, project }, { limit, offset });
      ctx.out.result(secrets, () => secretTable(secrets));
    }),
  );

  secret
    .command('delete <namespace/name>')
    .description('Remove a secret no credential uses')
    .action(
      action(async (ctx, command) => {
        const [ref] = command.processedArgs as [string];
        const [namespace, name] = secretRef(ref);
        await (await ctx.api()).delete(apiPath('/v1/secrets', namespace, name));
        ctx.out.result({}, () => 'Success\n');
      }),
    );
}
