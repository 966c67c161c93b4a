import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { runMigrationsLocked } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { CREDENTIALS_SCHEMA } from './database/credentials-data-source';

/** Brings the `credentials` schema up to date before the service takes requests. */
@Injectable()
export class MigrationsRunner implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): Promise<void> {
    return runMigrationsLocked(this.dataSource, CREDENTIALS_SCHEMA);
  }
}
