import { type CallHandler, type ExecutionContext, HttpException, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { type AuditActor, type AuditRecordInput } from '@keyward/contracts';
import { auditFields, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ACCOUNT_HEADER } from '../auth/principal.decorator';
import { AccountScopeResolver } from '../credentials/account-scope.resolver';
import { httpStatusOf } from '../errors/http-status';
import { AUDITED, type AuditedRoute } from './audited-route';
import { AuditRecorder } from './audit-recorder';

type AuditedRequest = FastifyRequest & { user?: Principal };

export function actorOf(principal: Principal | undefined): AuditActor {
  if (!principal) return {};
  return { username: principal.username, account: principal.accountName, tokenId: principal.tokenId, tokenKind: principal.tokenKind };
}

function actingAccount(request: AuditedRequest): string | undefined {
  const header = request.headers[ACCOUNT_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.trim() !== '' ? value.trim() : request.user?.accountName;
}

function failureOf(error: unknown): { status: number; code?: string } {
  if (error instanceof DomainError) return { status: httpStatusOf(error.code, error.details), code: error.code };
  if (error instanceof HttpException) return { status: error.getStatus() };
  return { status: 500, code: ErrorCode.Internal };
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Records every change made through the gateway, once its outcome is known: who (user, account,
 * token or session), what (action, resource, the non-secret fields before and after), when, from
 * where (the address KEYWARD_TRUST_PROXY yields), the request id, and the result, refusals
 * included. The reply waits until identity has stored the record.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly recorder: AuditRecorder,
    private readonly rpc: RpcClient,
    private readonly scope: AccountScopeResolver,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED, context.getHandler());
    if (!route) return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const successStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    return from(this.run(route, request, successStatus, next));
  }

  private async run(route: AuditedRoute, request: AuditedRequest, successStatus: number, next: CallHandler): Promise<unknown> {
    const at = new Date().toISOString();
    const params = object(request.params) as Record<string, string>;
    const body = object(request.body);
    const acting = actingAccount(request) ?? '';
    const before =
      route.before && request.user
        ? await route.before({ rpc: this.rpc, scope: this.scope, principal: request.user, acting, params }).catch(() => undefined)
        : undefined;
    const base = (reply: Record<string, unknown>): Omit<AuditRecordInput, 'result'> => {
      const names = Object.values(params);
      const named = [reply['id'], reply['name'], body['name'], body['username']].find((value): value is string => typeof value === 'string');
      const own = route.own ? request.user : undefined;
      const id = route.id ? route.id(params, body, reply) : own ? own.username : (names[names.length - 1] ?? named);
      return {
        id: randomUUID(),
        at,
        actor: request.user ? actorOf(request.user) : { username: typeof body['username'] === 'string' ? body['username'] : undefined },
        address: request.ip,
        requestId: String(request.id),
        action: route.action,
        resource: {
          type: route.action.split('.')[0] ?? 'unknown',
          id,
          account: own ? own.accountName : route.account ? route.account(params, body, acting) : acting || undefined,
        },
        before: auditFields(before),
      };
    };
    let reply: unknown;
    try {
      reply = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error: unknown) {
      const failure = failureOf(error);
      await this.recorder.record({ ...base({}), result: { outcome: 'failure', status: failure.status, code: failure.code } });
      throw error;
    }
    await this.recorder.record({
      ...base(object(reply)),
      after: auditFields(reply) ?? auditFields(body),
      result: { outcome: 'success', status: successStatus },
    });
    return reply;
  }
}
