import { type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DataSourceOptions } from 'typeorm';
import { type BusUser } from '@keyward/contracts';
import { type CommonConfig } from '../config/common-config';
import { LoggingModule } from '../logging/logging.module';
import { MessagingModule } from '../messaging/messaging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RpcExceptionsFilter } from '../messaging/rpc-exceptions.filter';
import { rpcValidationPipe } from '../messaging/rpc-validation.pipe';

/** What every NATS service imports: JSON logs, metrics on a port of its own, its own database schema, and the bus client. */
export function serviceCoreImports(service: BusUser, config: CommonConfig, dataSource: DataSourceOptions): DynamicModule[] {
  return [
    LoggingModule.forRoot(service, config.LOG_LEVEL),
    MetricsModule.forRoot(service, config),
    TypeOrmModule.forRoot(dataSource),
    MessagingModule.forRoot(config, service, `${service}-client`),
  ];
}

/** Every request payload validated, every failure answered in the bus's error shape. */
export const RPC_PIPELINE: Provider[] = [
  { provide: APP_FILTER, useClass: RpcExceptionsFilter },
  { provide: APP_PIPE, useFactory: rpcValidationPipe },
];
