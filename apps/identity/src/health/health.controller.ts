import { Controller } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type HealthView, IdentitySubjects } from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { DataSource } from 'typeorm';

@Controller()
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Answers only if this replica reaches NATS (it got the request) and PostgreSQL. */
  @Rpc(IdentitySubjects.healthCheck)
  async check(): Promise<HealthView> {
    try {
      await this.dataSource.query('SELECT 1');
      return { database: 'up' };
    } catch {
      return { database: 'down' };
    }
  }
}
