import { type DynamicModule, Module } from '@nestjs/common';
import { type BusUser } from '@keyward/contracts';
import { type CommonConfig } from '../config/common-config';
import { DEFAULT_METRICS_PORTS, Metrics, METRICS_OPTIONS, MetricsServer } from './metrics';

/** One metrics registry per process, global; the NATS services also serve it on a port of their own. */
@Module({})
export class MetricsModule {
  static forRoot(service: BusUser, config: Pick<CommonConfig, 'KEYWARD_METRICS_PORT' | 'KEYWARD_METRICS_HOST'>): DynamicModule {
    const port = service === 'gateway' ? undefined : (config.KEYWARD_METRICS_PORT ?? DEFAULT_METRICS_PORTS[service]);
    return {
      module: MetricsModule,
      global: true,
      providers: [{ provide: METRICS_OPTIONS, useValue: { service, port, host: config.KEYWARD_METRICS_HOST } }, Metrics, MetricsServer],
      exports: [Metrics],
    };
  }
}
