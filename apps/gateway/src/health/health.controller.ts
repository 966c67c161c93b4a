import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CredentialsSubjects, IdentitySubjects } from '@keyward/contracts';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';

type Status = 'up' | 'down';

interface Readiness {
  status: 'ok' | 'error';
  checks: { nats: Status; identity: Status; credentials: Status; database: Status };
}

@ApiTags('Health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly rpc: RpcClient) {}

  /** The process is running. */
  @Get('live')
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The gateway can serve requests: NATS is connected and each service answers and reaches PostgreSQL. */
  @Get('ready')
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { nats: 'up', identity: 'up', credentials: 'up', database: 'up' } } } })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const nats: Status = this.rpc.connection().isClosed() ? 'down' : 'up';
    const ask = async (subject: typeof IdentitySubjects.healthCheck | typeof CredentialsSubjects.healthCheck) => {
      if (nats === 'down') return { service: 'down' as Status, database: 'down' as Status };
      try {
        return { service: 'up' as Status, database: (await this.rpc.send(subject, {}, { failover: false })).database };
      } catch {
        return { service: 'down' as Status, database: 'down' as Status };
      }
    };
    const [identity, credentials] = await Promise.all([ask(IdentitySubjects.healthCheck), ask(CredentialsSubjects.healthCheck)]);
    const database: Status = identity.database === 'up' && credentials.database === 'up' ? 'up' : 'down';
    const checks = { nats, identity: identity.service, credentials: credentials.service, database };
    const result: Readiness = { status: Object.values(checks).every((check) => check === 'up') ? 'ok' : 'error', checks };
    if (result.status !== 'ok') {
      void reply.status(503);
    }
    return result;
  }
}
