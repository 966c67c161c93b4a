import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { assertPrincipalEnabled, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { BASIC_STRATEGY } from './basic.strategy';
import { BEARER_STRATEGY } from './bearer.strategy';
import { SIGNATURE_STRATEGY } from './signature.strategy';
import { IS_PUBLIC } from './public.decorator';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

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
