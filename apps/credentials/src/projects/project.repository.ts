import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CredentialEntity } from '../credentials/credential.entity';
import { ProjectEntity } from './project.entity';

@Injectable()
export class ProjectRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(ProjectEntity);
  }

  findByName(accountId: string, name: string, manager?: EntityManager): Promise<ProjectEntity | null> {
    return this.repo(manager).findOneBy({ accountId, name });
  }

  findByNamespace(accountId: string, namespace: string): Promise<ProjectEntity | null> {
    return this.repo().findOneBy({ accountId, namespace });
  }

  list(accountId: string, take: number, skip: number): Promise<[ProjectEntity[], number]> {
    return this.repo().findAndCount({ where: { accountId }, order: { name: 'ASC' }, take, skip });
  }

  insert(project: Omit<ProjectEntity, 'id' | 'createdAt' | 'updatedAt'>, manager?: EntityManager): Promise<ProjectEntity> {
    const repo = this.repo(manager);
    return repo.save(repo.create(project));
  }

  save(project: ProjectEntity): Promise<ProjectEntity> {
    return this.repo().save(project);
  }

  countCredentials(projectId: string, manager?: EntityManager): Promise<number> {
    return (manager ?? this.dataSource.manager).getRepository(CredentialEntity).countBy({ projectId });
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ id });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
