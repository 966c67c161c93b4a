import { Controller, type Type } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type HealthView, type RpcSubject } from '@keyward/contracts';
import { DataSource } from 'typeorm';
import { Rpc } from '../messaging/rpc.decorator';

/**
 * The health handler of a service, on its `<service>.health.check` subject: it answers only if
 * this replica reaches NATS (it got the request), and says whether it reaches PostgreSQL.
 */
export function healthController(subject: RpcSubject & `${string}.health.check`): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

    @Rpc(subject)
    check(): Promise<HealthView> {
      return this.dataSource.query('SELECT 1').then(
        () => ({ database: 'up' as const }),
        () => ({ database: 'down' as const }),
      );
    }
  }
  return HealthController;
}
