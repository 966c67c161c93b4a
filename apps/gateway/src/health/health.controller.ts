import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdentitySubjects } from '@keyward/contracts';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';

interface Readiness {
  status: 'ok' | 'error';
  checks: { nats: 'up' | 'down'; identity: 'up' | 'down'; database: 'up' | 'down' };
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

  /** The gateway can serve requests: NATS is connected and identity reaches PostgreSQL. */
  @Get('ready')
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { nats: 'up', identity: 'up', database: 'up' } } } })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const nats = this.rpc.connection().isClosed() ? 'down' : 'up';
    let identity: 'up' | 'down' = 'down';
    let database: 'up' | 'down' = 'down';
    if (nats === 'up') {
      try {
        database = (await this.rpc.send(IdentitySubjects.healthCheck, {})).database;
        identity = 'up';
      } catch {
        identity = 'down';
      }
    }
    const result: Readiness = { status: identity === 'up' && database === 'up' ? 'ok' : 'error', checks: { nats, identity, database } };
    if (result.status !== 'ok') {
      void reply.status(503);
    }
    return result;
  }
}
