import { SERVICE_SCHEMAS } from '@keyward/contracts';
import { serviceDataSourceOptions } from '@keyward/nest-common';
import { type DataSourceOptions } from 'typeorm';
import { JobEntity } from '../jobs/job.entity';
import { ReaperInitial1763820000000 } from './migrations/1763820000000-reaper-initial';

export const REAPER_SCHEMA = SERVICE_SCHEMAS.reaper;

export function reaperDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    schema: REAPER_SCHEMA,
    poolSize,
    applicationName: 'keyward-reaper',
    entities: [JobEntity],
    migrations: [ReaperInitial1763820000000],
  });
}
