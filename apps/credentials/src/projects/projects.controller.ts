import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CredentialsSubjects,
  type Page,
  ProjectCreateRequest,
  ProjectListRequest,
  ProjectRef,
  ProjectUpdateRequest,
  type ProjectView,
} from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { ProjectsService } from './projects.service';

/** Projects of an account: the namespaces its credentials are delivered into. */
@Controller()
export class ProjectsController {
  constructor(private readonly service: ProjectsService) {}

  @Rpc(CredentialsSubjects.projectCreate)
  createProject(@Payload() request: ProjectCreateRequest): Promise<ProjectView> {
    return this.service.create(request);
  }

  @Rpc(CredentialsSubjects.projectList)
  listProjects(@Payload() request: ProjectListRequest): Promise<Page<ProjectView>> {
    return this.service.list(request);
  }

  @Rpc(CredentialsSubjects.projectGet)
  getProject(@Payload() request: ProjectRef): Promise<ProjectView> {
    return this.service.get(request);
  }

  @Rpc(CredentialsSubjects.projectUpdate)
  updateProject(@Payload() request: ProjectUpdateRequest): Promise<ProjectView> {
    return this.service.update(request);
  }

  @Rpc(CredentialsSubjects.projectDelete)
  deleteProject(@Payload() request: ProjectRef): Promise<Record<string, never>> {
    return this.service.delete(request);
  }
}
