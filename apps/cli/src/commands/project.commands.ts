import { type Command } from 'commander';
import { type ProjectView, type StoredCredentialView } from '@keyward/contracts';
import { action } from '../command';
import { apiPath } from '../http/api-client';
import { keyValues, table } from '../output/format';
import { pageOptions, type PageOptions } from './arguments';
import { credentialTable, deliveryTable } from './credential-views';

function projectRecord(project: ProjectView): string {
  return (
    keyValues([
      ['Name', project.name],
      ['Namespace', project.namespace],
      ['Description', project.description],
      ['Created', project.createdAt],
      ['Updated', project.updatedAt],
      ['Created By', project.createdBy],
    ]) + deliveryTable(project.delivery, 'credential')
  );
}

/** `keyward project ...`: the projects that group an account's credentials. */
export function registerProjectCommands(program: Command): void {
  const project = program.command('project').description('Project operations');

  project
    .command('create <name>')
    .description('Create a project (a Kubernetes name: lowercase letters, digits and -)')
    .option('--namespace <namespace>', 'its namespace (default keyward-<name>)')
    .option('--description <text>', 'what it is for')
    .action(
      action(async (ctx, command) => {
        const [name] = command.processedArgs as [string];
        const { namespace, description } = command.opts<{ namespace?: string; description?: string }>();
        const created = await (await ctx.api()).post<ProjectView>('/v1/projects', { name, namespace, description });
        ctx.out.result(created, () => projectRecord(created));
      }),
    );

  pageOptions(project.command('list').description('List the projects')).action(
    action(async (ctx, command) => {
      const projects = await (await ctx.api()).list<ProjectView>('/v1/projects', {}, command.opts<PageOptions>());
      ctx.out.result(projects, () =>
        table(
          ['Name', 'Namespace', 'Description', 'Created'],
          projects.map((p) => [p.name, p.namespace, p.description, p.createdAt]),
        ),
      );
    }),
  );

  project
    .command('get <name>')
    .description('Get a project')
    .action(
      action(async (ctx, command) => {
        const [name] = command.processedArgs as [string];
        const found = await (await ctx.api()).get<ProjectView>(apiPath('/v1/projects', name));
        ctx.out.result(found, () => projectRecord(found));
      }),
    );

  project
    .command('update <name>')
    .description("Change a project's description")
    .requiredOption('--description <text>', 'the new description')
    .action(
      action(async (ctx, command) => {
        const [name] = command.processedArgs as [string];
        const { description } = command.opts<{ description: string }>();
        const updated = await (await ctx.api()).patch<ProjectView>(apiPath('/v1/projects', name), { description });
        ctx.out.result(updated, () => projectRecord(updated));
      }),
    );

  project
    .command('delete <name>')
    .description('Delete a project that has no credentials left')
    .action(
      action(async (ctx, command) => {
        const [name] = command.processedArgs as [string];
        await (await ctx.api()).delete(apiPath('/v1/projects', name));
        ctx.out.result({}, () => 'Success\n');
      }),
    );

  pageOptions(project.command('credentials <name>').description("The credentials a project's workloads get: its own and every one of scope all")).action(
    action(async (ctx, command) => {
      const [name] = command.processedArgs as [string];
      const credentials = await (await ctx.api()).list<StoredCredentialView>(apiPath('/v1/projects', name, 'credentials'), {}, command.opts<PageOptions>());
      ctx.out.result(credentials, () => credentialTable(credentials));
    }),
  );
}
