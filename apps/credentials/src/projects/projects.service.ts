import { Injectable } from '@nestjs/common';
import {
  type Page,
  type ProjectCreateRequest,
  type ProjectListRequest,
  type ProjectRef,
  type ProjectUpdateRequest,
  type ProjectView,
} from '@keyward/contracts';
import { assertMayActInAccount, defaultProjectNamespace, DomainError, ErrorCode, KUBERNETES_NAME_PATTERN } from '@keyward/domain';
import { isForeignKeyViolation, isUniqueViolation, toRfc3339 } from '@keyward/nest-common';
import { AccountWrites } from '../accounts/account-writes';
import { DeliveryService } from '../delivery/delivery.service';
import { pageOf, requireMatch } from '../fields';
import { type ProjectEntity } from './project.entity';
import { ProjectRepository } from './project.repository';

const K8S_RULE = 'must be a Kubernetes name: 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit';

export function toProjectView(project: ProjectEntity): ProjectView {
  return {
    name: project.name,
    namespace: project.namespace,
    description: project.description,
    createdAt: toRfc3339(project.createdAt),
    updatedAt: toRfc3339(project.updatedAt),
    createdBy: project.createdBy,
  };
}

export function projectNotFound(name: string): DomainError {
  return new DomainError(ErrorCode.ProjectNotFound, `Project ${name} not found`);
}

@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly writes: AccountWrites,
    private readonly delivery: DeliveryService,
  ) {}

  async create(request: ProjectCreateRequest): Promise<ProjectView> {
    assertMayActInAccount(request.principal, request.account, 'createProject');
    const name = requireMatch('name', request.name, KUBERNETES_NAME_PATTERN, K8S_RULE);
    const namespace = requireMatch('namespace', request.namespace ?? defaultProjectNamespace(name), KUBERNETES_NAME_PATTERN, K8S_RULE);
    try {
      const project = await this.writes.inserting(request.principal, request.account, (manager) =>
        this.projects.insert(
          { accountId: request.account.id, name, namespace, description: request.description ?? null, createdBy: request.principal.username },
          manager,
        ),
      );
      return toProjectView(project);
    } catch (error: unknown) {
      if (isUniqueViolation(error, 'projects_account_name_unique')) {
        throw new DomainError(ErrorCode.ProjectAlreadyExists, `Project ${name} already exists`);
      }
      if (isUniqueViolation(error, 'projects_namespace_unique')) {
        // Unique in the whole installation: the other project may be another account's, which is not named.
        throw new DomainError(
          ErrorCode.ProjectAlreadyExists,
          `Namespace ${namespace} already belongs to another project${request.namespace === undefined ? ' (the default for this name): give the project a namespace of its own' : ''}`,
          { field: 'namespace' },
        );
      }
      throw error;
    }
  }

  async list(request: ProjectListRequest): Promise<Page<ProjectView>> {
    assertMayActInAccount(request.principal, request.account, 'listProjects');
    const { take, skip } = pageOf(request.page);
    const [items, total] = await this.projects.list(request.account.id, take, skip);
    return { items: items.map(toProjectView), total };
  }

  async get(request: ProjectRef): Promise<ProjectView> {
    assertMayActInAccount(request.principal, request.account, 'getProject');
    const project = await this.find(request.account.id, request.project);
    return { ...toProjectView(project), delivery: await this.delivery.statusOfProject(request.account.id, project.id) };
  }

  async update(request: ProjectUpdateRequest): Promise<ProjectView> {
    assertMayActInAccount(request.principal, request.account, 'updateProject');
    await this.writes.assertEnabled(request.principal, request.account);
    const project = await this.find(request.account.id, request.project);
    if (request.description !== undefined) {
      project.description = request.description;
    }
    return toProjectView(await this.projects.save(project));
  }

  /** A project that credentials still use is not deleted: delete or move them first. */
  async delete(request: ProjectRef): Promise<Record<string, never>> {
    assertMayActInAccount(request.principal, request.account, 'deleteProject');
    await this.writes.assertEnabled(request.principal, request.account);
    await this.projects
      .transaction(async (manager) => {
        const project = await this.projects.findByName(request.account.id, request.project, manager);
        if (!project) {
          throw projectNotFound(request.project);
        }
        const used = await this.projects.countCredentials(project.id, manager);
        if (used > 0) {
          throw new DomainError(ErrorCode.ProjectInUse, `Project ${project.name} still has ${used} credential(s): delete them first`);
        }
        await this.projects.delete(project.id, manager);
      })
      .catch((error: unknown) => {
        // A credential created for the project while it was being deleted.
        if (isForeignKeyViolation(error)) {
          throw new DomainError(ErrorCode.ProjectInUse, `Project ${request.project} still has credentials: delete them first`);
        }
        throw error;
      });
    return {};
  }

  async find(accountId: string, name: string): Promise<ProjectEntity> {
    const project = await this.projects.findByName(accountId, name);
    if (!project) {
      throw projectNotFound(name);
    }
    return project;
  }
}
