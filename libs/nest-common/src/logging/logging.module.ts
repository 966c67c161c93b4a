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

/** What pino-http's standard serializers make of a request and a response (the fields read here). */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
  headers?: Record<string, string | string[] | undefined>;
}
interface SerializedResponse {
  statusCode?: number;
}

/**
 * The request in a request line: who asked for what, with the URL's sensitive query values
 * redacted. Headers are left out: the line is written for every request, and every header of it
 * serialised and redacted made the line several times longer and dearer, for nothing an
 * operator reads.
 */
function requestLine(req: SerializedRequest) {
  return { id: req.id, method: req.method, url: typeof req.url === 'string' ? redactUrl(req.url) : req.url, remoteAddress: req.remoteAddress, userAgent: req.headers?.['user-agent'] };
}

/** The response in a request line: its status (the time is the line's `responseTime`). */
function responseLine(res: SerializedResponse) {
  return { statusCode: res.statusCode };
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
            serializers: { req: requestLine, res: responseLine },
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
