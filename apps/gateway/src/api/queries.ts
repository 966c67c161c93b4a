import { MAX_PAGE_SIZE } from '@keyward/contracts';
import { AccountState, CredentialScope, CredentialType, ExportFormat, StoredCredentialType } from '@keyward/domain';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, ValidateBy } from 'class-validator';

/**
 * The query string of each route, one class per route: the OpenAPI document's parameters, what
 * EdgeValidationPipe checks (`@Query() query: SomeQuery`) and the types the handler receives.
 * Every value arrives as one string (a repeated parameter is refused before); the classes check
 * the form and say how a value is read (a number, true or false), and the service checks what it
 * owns (a project that exists, an enum whose wording Anchore fixed). An empty value (`?limit=`)
 * is no value: the handler does not see it.
 */
const WHOLE_NUMBER = /^[0-9]{1,16}$/;

const READ_AS = Symbol('keyward:query-read-as');

/** How a checked query value is handed to the handler (text is handed as it is). */
function ReadAs(read: (raw: string) => unknown): PropertyDecorator {
  return (target, key) => Reflect.defineMetadata(READ_AS, read, target, key);
}

/**
 * A checked query string as its handler receives it: empty values left out, numbers and flags
 * read as the class declares.
 */
export function readQuery(requestClass: abstract new () => unknown, query: Record<string, unknown>): Record<string, unknown> {
  const read: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === '' || key in Object.prototype) continue;
    const reader = Reflect.getMetadata(READ_AS, requestClass.prototype as object, key) as ((raw: string) => unknown) | undefined;
    read[key] = reader && typeof value === 'string' ? reader(value) : value;
  }
  return read;
}

function WholeNumber(minimum: number, maximum: number, description?: string) {
  const rule = `must be a whole number from ${minimum} to ${maximum}`;
  return applyDecorators(
    ApiPropertyOptional({ type: Number, minimum, maximum, description }),
    ReadAs(Number),
    IsOptional(),
    ValidateBy({
      name: 'wholeNumber',
      validator: {
        validate: (value: unknown) =>
          value === '' || (typeof value === 'string' && WHOLE_NUMBER.test(value) && Number(value) >= minimum && Number(value) <= maximum),
        defaultMessage: () => rule,
      },
    }),
  );
}

function Flag(description?: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: Boolean, description }),
    ReadAs((raw) => raw === 'true'),
    IsOptional(),
    IsIn(['true', 'false', ''], { message: 'must be true or false' }),
  );
}

function Text(options: { description?: string; enum?: readonly string[]; required?: boolean } = {}) {
  const documented = options.required ? ApiProperty : ApiPropertyOptional;
  return applyDecorators(
    documented({ type: String, description: options.description, ...(options.enum ? { enum: [...options.enum] } : {}) }),
    IsOptional(),
    IsString({ message: 'must be given once, as text' }),
  );
}

/** Text that must be one of `values`, checked at the edge (for enums no service words itself). */
function OneOf(values: readonly string[]) {
  return applyDecorators(
    ApiPropertyOptional({ type: String, enum: [...values] }),
    IsOptional(),
    IsIn([...values, ''], { message: `must be one of ${values.join(', ')}` }),
  );
}

export class PageQuery {
  @WholeNumber(1, MAX_PAGE_SIZE, 'Page size; without it, Anchore lists (accounts, users) return every row, other lists 100') limit?: number;
  @WholeNumber(0, Number.MAX_SAFE_INTEGER, 'Rows to skip') offset?: number;
}

export class AccountListQuery extends PageQuery {
  @Text({ enum: Object.values(AccountState) }) state?: string;
}

export class AdminUserListQuery extends PageQuery {
  @Text({ description: 'Only users of this account' }) account?: string;
  @Flag() staff?: boolean;
  @Flag() superuser?: boolean;
  @Text({ description: 'Username prefix' }) username?: string;
}

export class AdminTokenListQuery extends PageQuery {
  @Text({ description: 'Only tokens of users of this account' }) account?: string;
  @Text({ description: 'Only tokens of this user' }) username?: string;
}

/** Lists with keyset pagination: `after` is the X-Next-Cursor of the page before. */
export class CursorPageQuery extends PageQuery {
  @Text({ description: 'The X-Next-Cursor header of the page before: the page after it, as fast at row 1,000,000 as at row 1 (offset is then not used)' })
  after?: string;
}

export class CredentialListQuery extends CursorPageQuery {
  @OneOf(Object.values(StoredCredentialType)) type?: StoredCredentialType;
  @OneOf(Object.values(CredentialScope)) scope?: CredentialScope;
  @Text({ description: 'Only credentials of this project' }) project?: string;
}

export class SecretListQuery extends PageQuery {
  @Flag('Only secrets no credential uses') unused?: boolean;
  @Text({ description: 'Only secrets a credential of this project may use' }) project?: string;
}

export class ExportQuery {
  @Text({ enum: Object.values(ExportFormat), required: true }) format?: string;
}

export class CredentialDeleteQuery {
  @Text({ enum: Object.values(CredentialType), required: true }) credential_type?: string;
}

function Instant(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: String, format: 'date-time', description }),
    IsOptional(),
    ValidateBy({
      name: 'instant',
      validator: {
        validate: (value: unknown) =>
          value === '' ||
          (typeof value === 'string' &&
            /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) &&
            !Number.isNaN(Date.parse(value))),
        defaultMessage: () => 'must be a date (2026-12-01) or an RFC 3339 time (2026-12-01T10:00:00Z)',
      },
    }),
  );
}

export class AuditListQuery extends CursorPageQuery {
  @Text({ description: 'Only changes to resources of this account' }) account?: string;
  @Text({ description: 'Only changes made by this user' }) actor?: string;
  @Text({ description: 'An action (credential.create), or every action on a resource type (credential)' }) action?: string;
  @Text({ description: 'Only changes to resources of this type (account, user, credential, project, secret, token, session, keys)' }) resource?: string;
  @Text({ description: 'Only changes to the resource of this id or name' }) resource_id?: string;
  @Text({ enum: ['success', 'failure'], description: 'Only changes that succeeded, or only refusals and failures' }) outcome?: string;
  @Instant('Only changes at or after this time') since?: string;
  @Instant('Only changes before this time') until?: string;
}
