import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '@keyward/domain';
import { type ValidationError, validateSync } from 'class-validator';
import { readQuery } from './queries';
import { bodyObject } from './request-input';

function firstProblem(errors: ValidationError[], parent = ''): { field: string; rule: string } | undefined {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const rule = Object.values(error.constraints ?? {})[0];
    if (rule) return { field, rule };
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * The body's fields on an object of the request class, for class-validator. Defined, never
 * assigned, so no key (`__proto__`, `constructor`...) reaches a setter or a prototype, and nested
 * values are left as they are: request classes are flat, their maps checked only as objects.
 * (class-transformer's plainToInstance rebuilds nested objects through their `constructor` key,
 * which a client chooses.)
 */
function instanceOf(requestClass: abstract new () => unknown, body: Record<string, unknown>): object {
  const instance = Object.create(requestClass.prototype as object) as object;
  for (const [key, value] of Object.entries(body)) {
    // No request field is named like a property every object has: a body key `constructor`
    // would hide the class class-validator looks its rules up by (null made that a 500, any
    // other value skipped every rule). Such keys are no field, so they are left out of the check.
    if (key in Object.prototype) continue;
    Object.defineProperty(instance, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return instance;
}

function problemOf(requestClass: abstract new () => unknown, input: Record<string, unknown>): { field: string; rule: string } | undefined {
  return firstProblem(
    validateSync(instanceOf(requestClass, input), { forbidUnknownValues: false, stopAtFirstError: true, validationError: { target: false, value: false } }),
  );
}

/**
 * Every request body and query string, checked at the gateway's edge against the class its handler declares
 * (`@Body() body: SomeRequestDto`), the class the OpenAPI document is generated from: a body that
 * is no JSON object is 400 BAD_REQUEST, a field of another type than documented 400
 * VALIDATION_FAILED naming it, before any service is asked. The services then apply their own
 * rules (names, enums, what is required), which Anchore clients rely on word for word.
 * A query string (`@Query() query: SomeQuery`) likewise: 400 VALIDATION_FAILED naming the
 * parameter; the handler receives it read as the class declares (`readQuery`). A body reaches the
 * handler as it was sent, never as the class instance.
 */
@Injectable()
export class EdgeValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const requestClass = metadata.metatype;
    if (metadata.type === 'query' && metadata.data === undefined && requestClass && requestClass !== Object) {
      const query = { ...((value ?? {}) as Record<string, unknown>) };
      const problem = problemOf(requestClass, query);
      if (problem) throw new DomainError(ErrorCode.ValidationFailed, `Invalid query parameter ${problem.field}: ${problem.rule}`);
      return readQuery(requestClass, query);
    }
    if (metadata.type !== 'body') return value;
    const body = bodyObject(value);
    if (!requestClass || requestClass === Object) return body;
    const problem = problemOf(requestClass, body);
    if (problem) throw new DomainError(ErrorCode.ValidationFailed, `Invalid field ${problem.field}: ${problem.rule}`);
    return body;
  }
}
