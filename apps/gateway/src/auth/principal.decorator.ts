import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Principal } from '@keyward/domain';

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ user: Principal }>().user;
});

export const ACCOUNT_HEADER = 'x-anchore-account';

/**
 * The account a request acts in: the `x-anchore-account` header when given (only administrators
 * may name another account; identity enforces that), else the caller's own.
 */
export const ActingAccount = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ user: Principal; headers: Record<string, string | string[] | undefined> }>();
  const header = request.headers[ACCOUNT_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.trim() !== '' ? value.trim() : request.user.accountName;
});
