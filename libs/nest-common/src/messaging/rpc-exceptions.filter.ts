import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type RpcErrorPayload, toRpcErrorPayload } from '@keyward/contracts';
import { DomainError, ErrorCode } from '@keyward/domain';
import { type Observable, throwError } from 'rxjs';
import { isDatabaseUnavailable } from '../database/pg-errors';

/**
 * Turns whatever a request handler throws into the bus's error reply. Expected failures keep their
 * code and message; anything else is logged here and answered with a bare INTERNAL_ERROR, so no
 * stack trace, query or value leaves the service.
 */
@Catch()
export class RpcExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(RpcExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (exception instanceof DomainError) {
      return throwError(() => toRpcErrorPayload(exception));
    }
    const subject = host.switchToRpc().getContext<{ getSubject?: () => string }>().getSubject?.() ?? 'unknown subject';
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`PostgreSQL is unavailable while handling ${subject}: ${exception instanceof Error ? exception.message : String(exception)}`);
      return throwError(() => ({ code: ErrorCode.ServiceUnavailable, message: 'The database is unavailable. Try again shortly.' }) satisfies RpcErrorPayload);
    }
    this.logger.error(`Unexpected failure handling ${subject}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    const payload: RpcErrorPayload = { code: ErrorCode.Internal, message: 'Internal error' };
    return throwError(() => payload);
  }
}
