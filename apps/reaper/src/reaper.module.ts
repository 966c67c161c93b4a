import { type DynamicModule, Module } from '@nestjs/common';
import { ReaperSubjects } from '@keyward/contracts';
import { healthController, migrationsRunner, RPC_PIPELINE, serviceCoreImports } from '@keyward/nest-common';
import { ReaperConfig } from './config';
import { REAPER_SCHEMA, reaperDataSourceOptions } from './database/reaper-data-source';
import { JobRepository } from './jobs/job.repository';
import { JobsController } from './jobs/jobs.controller';
import { JobsService } from './jobs/jobs.service';
import { DeletionConsumerService } from './reaping/deletion-consumer.service';
import { ReaperService } from './reaping/reaper.service';
import { SweeperService } from './reaping/sweeper.service';

@Module({})
export class ReaperModule {
  static forRoot(config: ReaperConfig): DynamicModule {
    return {
      module: ReaperModule,
      imports: serviceCoreImports('reaper', config, reaperDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE)),
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
