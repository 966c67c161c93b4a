import { Controller, Get, Logger as NestLogger, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { symbols } from 'pino';
import { createRootLogger, installAccessLog, LoggingModule, logsRequests, ROOT_LOGGER } from './logging.module';

@Controller()
class ProbeController {
  private readonly logger = new NestLogger('Probe');

  @Get('probe')
  probe(): { ok: boolean } {
    this.logger.warn({ note: 'probing', user: { password: 'pw-in-a-log-line' } });
    return { ok: true };
  }

  @Get('health/live')
  live(): { ok: boolean } {
    return { ok: true };
  }
}

/** Boots a gateway-like app at `level`, sends `urls`, and returns every line its loggers wrote. */
async function probe(level: string, urls: string[]): Promise<{ lines: Record<string, unknown>[]; raw: string }> {
  __resetOutOfContextForTests();
  const written: string[] = [];
  const destination = { write: (chunk: string) => void written.push(chunk) };
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [LoggingModule.forRoot('probe', level, destination)],
      controllers: [ProbeController],
    }).compile();
    const fastify = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { bufferLogs: true });
    app = fastify;
    fastify.useLogger(fastify.get(Logger));
    installAccessLog(fastify.getHttpAdapter().getInstance(), fastify.get(ROOT_LOGGER), 'probe');
    await fastify.init();
    await fastify.getHttpAdapter().getInstance().ready();
    for (const url of urls) {
      const response = await fastify.inject({
        method: 'GET',
        url,
        headers: { authorization: 'Basic c2VjcmV0LXVzZXI6c2VjcmV0LXB3', 'user-agent': 'probe-agent' },
      });
      expect(response.statusCode).toBe(200);
    }
    const raw = written.join('');
    const lines = raw
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { lines, raw };
  } finally {
    await app?.close();
  }
}

describe(LoggingModule.name, () => {
  it('writes request lines from info down only', () => {
    expect(['trace', 'debug', 'info'].map(logsRequests)).toEqual([true, true, true]);
    expect(['warn', 'error', 'fatal', 'silent'].map(logsRequests)).toEqual([false, false, false, false]);
  });

  it('at info, logs each request in one short line that carries no credential', async () => {
    const { lines, raw } = await probe('info', ['/probe?token=tok-in-a-url&limit=5', '/health/live']);
    const requests = lines.filter((line) => line['msg'] === 'request completed');
    // One line for the request, none for the health probe.
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({
      level: 30,
      name: 'probe',
      service: 'probe',
      req: { id: expect.any(String), method: 'GET', url: '/probe?token=[redacted]&limit=5', userAgent: 'probe-agent' },
      res: { statusCode: 200 },
    });
    expect(request?.['responseTime']).toEqual(expect.any(Number));
    // Headers are not logged at all, the Authorization header least of all.
    expect(Object.keys(request?.['req'] as object)).not.toContain('headers');
    expect(Object.keys(request?.['res'] as object)).toEqual(['statusCode']);
    expect(lines.find((line) => line['context'] === 'Probe')).toMatchObject({ level: 40, user: { password: '[redacted]' } });
    expect(raw).not.toContain('c2VjcmV0LXVzZXI6c2VjcmV0LXB3');
    expect(raw).not.toContain('pw-in-a-log-line');
    expect(raw).not.toContain('tok-in-a-url');
  });

  it('above info, writes no request line and still writes redacted JSON', async () => {
    const { lines, raw } = await probe('warn', ['/probe']);
    expect(lines.find((line) => line['msg'] === 'request completed')).toBeUndefined();
    expect(lines.find((line) => line['context'] === 'Probe')).toMatchObject({ level: 40, name: 'probe', user: { password: '[redacted]' } });
    expect(raw).not.toContain('pw-in-a-log-line');
  });

  it('writes standard output asynchronously, in chunks, instead of a system call per line', () => {
    const logger = createRootLogger('probe', 'info');
    const stream = (logger as unknown as Record<symbol, { sync: boolean; minLength: number; fd: number }>)[symbols.streamSym];
    expect(stream).toMatchObject({ sync: false, minLength: 4096, fd: 1 });
  });
});
