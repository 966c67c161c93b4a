import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type FastifyInstance } from 'fastify';
import { type DestinationStream, destination as pinoDestination, levels, type Logger, pino } from 'pino';

/**
 * Structured JSON logs. Authorization headers, cookies and anything named like a secret are
 * redacted before a line is written, whatever code logs it.
 */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.value', '*.secret', '*.token'];

/**
 * Query parameters that could carry a credential. Keyward accepts credentials only in the
 * Authorization header and refuses a request that puts one in the URL, but the request line is
 * logged before that answer: their values never reach a log line.
 */
export const SENSITIVE_QUERY_KEY = /token|password|passwd|secret|signature|key|auth|credential|session/i;

/** `url` with the value of every sensitive query parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) {
    return url;
  }
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const separator = pair.indexOf('=');
      const name = separator < 0 ? pair : pair.slice(0, separator);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judged by its raw text.
      }
      return SENSITIVE_QUERY_KEY.test(decoded) && separator >= 0 ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}

/**
 * Whether a line per HTTP request is written at `level`: from `info` down. Above it (`warn`,
 * `error`, `fatal`, `silent`) no request line would ever be written.
 */
export function logsRequests(level: string): boolean {
  return (levels.values[level] ?? Number.POSITIVE_INFINITY) <= (levels.values['info'] ?? 30);
}

/** How long a log line may wait in the buffer before it is written. */
export const LOG_FLUSH_INTERVAL_MS = 1000;

/**
 * Standard output, written asynchronously in chunks of up to 4 KiB and at least every
 * LOG_FLUSH_INTERVAL_MS, instead of one blocking write(2) per line: under load a line per request
 * otherwise costs a system call per request. pino flushes what is buffered when the process
 * exits; only a SIGKILL can lose the last second of lines.
 */
function bufferedStdout(): DestinationStream {
  const destination = pinoDestination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // Nothing buffered, or standard output already closed at exit.
    }
  }, LOG_FLUSH_INTERVAL_MS).unref();
  return destination;
}

/** The process's root logger: JSON lines, redacted, named after the service. */
export function createRootLogger(service: string, level: string, destination: DestinationStream = bufferedStdout()): Logger {
  return pino({ level, name: service, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

/**
 * One line per HTTP request at `info` and below ("request completed": method, redacted URL,
 * client address, user agent, status, time), written from Fastify's onResponse hook through the
 * root logger. No child logger is built per request and no request context is carried in
 * AsyncLocalStorage: that cost a fifth of the gateway's CPU under load. Other lines logged while
 * serving a request carry its id (`reqId`) where they are written (the exception filter), and
 * the request line carries the same id. Health probes are not logged.
 */
export function installAccessLog(fastify: FastifyInstance, logger: Logger, service: string): void {
  if (!logger.isLevelEnabled('info')) {
    return;
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    const url = request.raw.url ?? request.url;
    if (!url.startsWith('/health')) {
      logger.info(
        {
          service,
          req: { id: request.id, method: request.method, url: redactUrl(url), remoteAddress: request.ip, userAgent: request.headers['user-agent'] },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime * 1000) / 1000,
        },
        'request completed',
      );
    }
    done();
  });
}

/** The process's root pino logger (for installAccessLog). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Module({})
export class LoggingModule {
  /** Nest's logger over a root pino logger; `destination` is standard output unless a test gives one. */
  static forRoot(service: string, level: string, destination?: DestinationStream): DynamicModule {
    const root = createRootLogger(service, level, destination);
    return {
      module: LoggingModule,
      global: true,
      providers: [{ provide: ROOT_LOGGER, useValue: root }],
      exports: [ROOT_LOGGER],
      imports: [
        LoggerModule.forRoot({
          // The root logger only: request lines come from installAccessLog, so nestjs-pino's
          // per-request middleware is applied to no route.
          pinoHttp: { logger: root },
          forRoutes: [],
        }),
      ],
    };
  }
}
