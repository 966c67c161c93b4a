import { type DynamicModule, Module } from '@nestjs/common';
import { ReaperSubjects, SERVICE_SCHEMAS } from '@keyward/contracts';
import { healthController, migrationsRunner, RPC_PIPELINE, serviceCoreImports, serviceDataSourceOptions } from '@keyward/nest-common';
import { ReaperConfig } from './config';
import { ReaperInitial1763820000000 } from './database/migrations/1763820000000-reaper-initial';
import { JobEntity } from './jobs/job.entity';
import { JobRepository } from './jobs/job.repository';
import { JobsController } from './jobs/jobs.controller';
import { JobsService } from './jobs/jobs.service';
import { DeletionConsumerService } from './reaping/deletion-consumer.service';
import { ReaperService } from './reaping/reaper.service';
import { SweeperService } from './reaping/sweeper.service';

export const REAPER_SCHEMA = SERVICE_SCHEMAS.reaper;

@Module({})
export class ReaperModule {
  static forRoot(config: ReaperConfig): DynamicModule {
    return {
      module: ReaperModule,
      imports: serviceCoreImports(
        'reaper',
        config,
        serviceDataSourceOptions({
          url: config.DATABASE_URL,
          schema: REAPER_SCHEMA,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'keyward-reaper',
          entities: [JobEntity],
          migrations: [ReaperInitial1763820000000],
        }),
      ),
      controllers: [healthController(ReaperSubjects.healthCheck), JobsController],
      providers: [
        { provide: ReaperConfig, useValue: config },
        ...RPC_PIPELINE,
        migrationsRunner(REAPER_SCHEMA),
        JobRepository,
        JobsService,
        ReaperService,
        DeletionConsumerService,
        SweeperService,
      ],
    };
  }
}
