import { SERVICE_SCHEMAS } from '@keyward/contracts';
import { type DynamicModule, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RPC_PIPELINE, runMigrationsLocked, serviceCoreImports, serviceDataSourceOptions } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { ReaperConfig } from './config';
import { ReaperInitial1763820000000 } from './database/migrations/1763820000000-reaper-initial';
import { JobEntity } from './jobs/job.entity';
import { JobRepository } from './jobs/job.repository';
import { ReaperController } from './reaper.controller';
import { DeletionConsumerService } from './reaping/deletion-consumer.service';
import { ReaperService } from './reaping/reaper.service';
import { SweeperService } from './reaping/sweeper.service';

export const REAPER_SCHEMA = SERVICE_SCHEMAS.reaper;

@Injectable()
class MigrationsRunner implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): Promise<void> {
    return runMigrationsLocked(this.dataSource, REAPER_SCHEMA);
  }
}

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
      controllers: [ReaperController],
      providers: [
        { provide: ReaperConfig, useValue: config },
        ...RPC_PIPELINE,
        MigrationsRunner,
        JobRepository,
        ReaperService,
        DeletionConsumerService,
        SweeperService,
      ],
    };
  }
}
