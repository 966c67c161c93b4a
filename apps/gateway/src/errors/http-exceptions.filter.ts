import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode, SIGNING_ALGORITHM } from '@keyward/domain';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { redactUrl } from '@keyward/nest-common';
import { unsupportedMediaTypeMessage } from '../api/http-edge';
import { anchoreError, codeForFrameworkError, codeForHttpStatus } from './anchore-error';
import { AuditRecorder } from '../audit/audit-recorder';
import { httpStatusOf } from './http-status';

export const WWW_AUTHENTICATE = 'Basic realm="Authentication required"';

/**
 * The challenge answers the scheme the client tried: a token client is not asked for a password.
 * Scripts in a browser (`X-Requested-With`) get no Basic challenge, which would open the
 * browser's own password dialog.
 */
export function challengeFor(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const scheme = request.headers.authorization?.split(' ', 1)[0]?.toLowerCase();
  if (scheme === 'bearer') return 'Bearer realm="keyward"';
  if (scheme === SIGNING_ALGORITHM.toLowerCase()) return `${SIGNING_ALGORITHM} realm="keyward"`;
  return request.headers['x-requested-with'] === undefined ? WWW_AUTHENTICATE : undefined;
}

/** Every error leaves the gateway in Anchore's shape with a stable code; a 500 says nothing more. */
@Catch()
@Injectable()
export class HttpExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionsFilter.name);

  constructor(private readonly audit: AuditRecorder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { status, body } = this.describe(exception, request);
    // A refused sign-in never reaches its route (authentication refuses it first): it is audited
    // here, while the answer goes out.
    if ((status === 401 || status === 429) && request.method === 'POST' && request.url.split('?')[0] === '/v1/session') {
      void this.audit.refusedSignIn(request, status, body.detail.error_codes[0] ?? ErrorCode.Unauthorized);
    }
    const challenge = status === 401 ? challengeFor(request) : undefined;
    if (challenge) {
      void reply.header('WWW-Authenticate', challenge);
    }
    const retryAfter = exception instanceof DomainError ? exception.details['retryAfterSeconds'] : undefined;
    if (typeof retryAfter === 'number') {
      void reply.header('Retry-After', String(retryAfter));
    }
    void reply.status(status).send(body);
  }

  private describe(exception: unknown, request: FastifyRequest) {
    if (exception instanceof DomainError) {
      const status = httpStatusOf(exception.code, exception.details);
      return { status, body: anchoreError(status, exception.message, exception.code) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForHttpStatus(status);
      if (status >= 500) {
        this.logger.error({ reqId: request.id, method: request.method, url: redactUrl(request.url), err: exception.message });
      }
      const message =
        status === 404
          ? 'Not found'
          : status === 415
            ? unsupportedMediaTypeMessage(request.headers['content-type'])
            : status >= 500
              ? 'Internal error'
              : exception.message;
      return { status, body: anchoreError(status, message, code) };
    }
    const httpStatus = (exception as { statusCode?: unknown }).statusCode;
    if (typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) {
      // Errors raised by Fastify before routing: unreadable JSON, wrong content type, body too large.
      const message =
        httpStatus === 415 ? unsupportedMediaTypeMessage(request.headers['content-type']) : exception instanceof Error ? exception.message : 'Bad request';
      return { status: httpStatus, body: anchoreError(httpStatus, message, codeForFrameworkError(httpStatus)) };
    }
    this.logger.error({
      reqId: request.id,
      method: request.method,
      url: redactUrl(request.url),
      err: exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    });
    return { status: 500, body: anchoreError(500, 'Internal error', ErrorCode.Internal) };
  }
}
