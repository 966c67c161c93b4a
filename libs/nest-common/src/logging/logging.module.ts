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
