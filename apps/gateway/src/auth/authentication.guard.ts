import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { assertPrincipalEnabled, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { BASIC_STRATEGY } from './basic.strategy';
import { BEARER_STRATEGY } from './bearer.strategy';
import { SIGNATURE_STRATEGY } from './signature.strategy';
import { IS_PUBLIC } from './public.decorator';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where OAuth-style clients put a bearer token instead of the Authorization header. */
const TOKEN_FIELD = 'access_token';

function hasField(container: unknown, field: string): boolean {
  return typeof container === 'object' && container !== null && Object.prototype.hasOwnProperty.call(container, field);
}

/**
 * Credentials travel only in the Authorization header: a token in the URL lands in logs, browser
 * history and proxies, and one in a body can be sent by a cross-site form. Such a request is
 * refused, whatever the route, so the mistake is seen at once.
 */
function refuseCredentialsOutsideHeader(request: { query?: unknown; body?: unknown }): void {
  if (hasField(request.query, TOKEN_FIELD) || hasField(request.body, TOKEN_FIELD)) {
    throw new DomainError(
      ErrorCode.CredentialsInUrl,
      `Unauthorized. Send the API token in the Authorization header (Authorization: Bearer <token>), never as ${TOKEN_FIELD} in the URL or the body`,
    );
  }
}

/**
 * Global guard, deny by default: every route authenticates unless marked @Public(), with a signed
 * request, a bearer token or HTTP Basic, tried in that order. A principal
 * whose account is not enabled is refused here, and a read-only token on anything but a read,
 * before any service sees the request.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard([SIGNATURE_STRATEGY, BEARER_STRATEGY, BASIC_STRATEGY]) {
  constructor(private readonly reflector: Reflector) {
    super({ session: false });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    refuseCredentialsOutsideHeader(context.switchToHttp().getRequest<{ query?: unknown; body?: unknown }>());
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) {
      return true;
    }
    const allowed = (await super.canActivate(context)) as boolean;
    const request = context.switchToHttp().getRequest<{ method: string; user: Principal }>();
    if (request.user.readOnly === true && !READ_METHODS.has(request.method)) {
      throw new DomainError(ErrorCode.ReadOnlyToken, `Not authorized. The API token is read-only: ${request.method} is not allowed, only GET and HEAD.`);
    }
    return allowed;
  }

  override handleRequest<TUser = Principal>(error: unknown, user: TUser | false): TUser {
    if (error) {
      throw error instanceof DomainError ? error : new DomainError(ErrorCode.Unauthorized, 'Unauthorized');
    }
    if (!user) {
      throw new DomainError(ErrorCode.Unauthorized, 'Unauthorized');
    }
    assertPrincipalEnabled(user as unknown as Principal);
    return user;
  }
}
