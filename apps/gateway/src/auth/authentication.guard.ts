import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { assertPrincipalEnabled, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { BASIC_STRATEGY } from './basic.strategy';
import { IS_PUBLIC } from './public.decorator';

/**
 * Global guard, deny by default: every route authenticates unless marked @Public(). A principal
 * whose account is not enabled is refused here, before any service sees the request.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard([BASIC_STRATEGY]) {
  constructor(private readonly reflector: Reflector) {
    super({ session: false });
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
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
