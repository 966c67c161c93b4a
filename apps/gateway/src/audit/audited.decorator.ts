import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AuditInterceptor } from './audit.interceptor';
import { AUDITED, type AuditedRoute } from './audited-route';

export { AUDITED, type AuditedRoute, type BeforeContext } from './audited-route';

/**
 * Every change through the gateway is recorded in the audit log: this names what it changes, and
 * puts the audit interceptor on that route only. Reads carry no interceptor at all, so they skip
 * Nest's interceptor chain (an async-hooks binding per interceptor per request).
 */
export const Audited = (route: AuditedRoute) => applyDecorators(SetMetadata(AUDITED, route), UseInterceptors(AuditInterceptor));
