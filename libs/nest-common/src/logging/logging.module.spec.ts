import { Controller, Get, Logger as NestLogger, type INestApplication, Req } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { type FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { LoggingModule, logsRequests } from './logging.module';

@Controller()
class ProbeController {
  private readonly logger = new NestLogger('Probe');

  @Get('probe')
  probe(@Req() request: FastifyRequest): { requestLogger: boolean } {
    this.logger.warn({ note: 'probing', user: { password: 'pw-in-a-log-line' } });
    return { requestLogger: 'log' in request.raw };
  }
}

/** Boots a gateway-like app at `level` and captures every line its loggers write. */
async function probe(level: string): Promise<{ lines: Record<string, unknown>[]; requestLogger: boolean; raw: string }> {
  __resetOutOfContextForTests();
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [LoggingModule.forRoot('probe', level)], controllers: [ProbeController] }).compile();
    const fastify = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { bufferLogs: true });
    app = fastify;
    fastify.useLogger(fastify.get(Logger));
    await fastify.init();
    await fastify.getHttpAdapter().getInstance().ready();
    const response = await fastify.inject({ method: 'GET', url: '/probe', headers: { authorization: 'Basic c2VjcmV0LXVzZXI6c2VjcmV0LXB3', 'user-agent': 'probe-agent' } });
    const body = response.json<{ requestLogger: boolean }>();
    const raw = written.join('');
    const lines = raw
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { lines, requestLogger: body.requestLogger, raw };
  } finally {
    await app?.close();
    write.mockRestore();
  }
}

describe(LoggingModule.name, () => {
  it('writes request lines from info down only', () => {
    expect(['trace', 'debug', 'info'].map(logsRequests)).toEqual([true, true, true]);
    expect(['warn', 'error', 'fatal', 'silent'].map(logsRequests)).toEqual([false, false, false, false]);
  });

  it('at info, logs each request in one short line that carries no credential', async () => {
    const { lines, requestLogger, raw } = await probe('info');
    expect(requestLogger).toBe(true);
    const request = lines.find((line) => line['msg'] === 'request completed');
    expect(request).toMatchObject({ service: 'probe', req: { method: 'GET', url: '/probe', userAgent: 'probe-agent' }, res: { statusCode: 200 } });
    expect(request?.['responseTime']).toEqual(expect.any(Number));
    // Headers are not logged at all, the Authorization header least of all.
    expect(Object.keys(request?.['req'] as object)).not.toContain('headers');
    expect(Object.keys(request?.['res'] as object)).toEqual(['statusCode']);
    expect(lines.find((line) => line['context'] === 'Probe')).toMatchObject({ req: { url: '/probe' }, user: { password: '[redacted]' } });
    expect(raw).not.toContain('c2VjcmV0LXVzZXI6c2VjcmV0LXB3');
    expect(raw).not.toContain('pw-in-a-log-line');
  });

  it('above info, serves requests without a request logger and still writes redacted JSON', async () => {
    const { lines, requestLogger, raw } = await probe('warn');
    expect(requestLogger).toBe(false);
    expect(lines.find((line) => line['msg'] === 'request completed')).toBeUndefined();
    expect(lines.find((line) => line['context'] === 'Probe')).toMatchObject({ level: 40, name: 'probe', user: { password: '[redacted]' } });
    expect(raw).not.toContain('pw-in-a-log-line');
  });
});
