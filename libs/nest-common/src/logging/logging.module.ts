import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { levels } from 'pino';

/**
 * Structured JSON logs. Authorization headers, cookies and anything named like a secret are
 * redacted before a line is written, whatever code logs it.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.value',
  '*.secret',
  '*.token',
];

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

/** pino-http's request serializer gets the standard one's output: its URL and query, redacted. */
function redactRequest(req: { url?: string; query?: Record<string, unknown> } & Record<string, unknown>) {
  const query = req.query
    ? Object.fromEntries(Object.entries(req.query).map(([name, value]) => [name, SENSITIVE_QUERY_KEY.test(name) ? '[redacted]' : value]))
    : req.query;
  return { ...req, url: typeof req.url === 'string' ? redactUrl(req.url) : req.url, query };
}

/**
 * Whether a line per HTTP request is written at `level`: from `info` down. Above it (`warn`,
 * `error`, `fatal`, `silent`) no request line would ever be written.
 */
export function logsRequests(level: string): boolean {
  return (levels.values[level] ?? Number.POSITIVE_INFINITY) <= (levels.values['info'] ?? 30);
}

@Module({})
export class LoggingModule {
  static forRoot(service: string, level: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level,
            name: service,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            serializers: { req: redactRequest },
            autoLogging: { ignore: (req) => ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').startsWith('/health') },
            customProps: () => ({ service }),
          },
          // When no request line can be written, the request-logging middleware is not applied at
          // all: pino-http would still build (and redact) a child logger for every request, and
          // nestjs-pino run each one in an AsyncLocalStorage context. Lines logged while serving a
          // request then come from the root logger: the same JSON and redaction, without the request.
          ...(logsRequests(level) ? {} : { forRoutes: [] }),
        }),
      ],
    };
  }
}
