import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  ArrayMaxSize,
} from 'class-validator';
import { AuthorizedRequest, PageQuery } from '../identity/requests';
import { type AuditActorView, type AuditResourceView, type AuditResultView } from './views';

/** Who made a change: a user (with the token or session the request carried), or a part of Keyward itself. */
export class AuditActor implements AuditActorView {
  @IsOptional() @IsString() @MaxLength(256) username?: string;
  @IsOptional() @IsString() @MaxLength(256) account?: string;
  @IsOptional() @IsString() @MaxLength(64) tokenId?: string;
  @IsOptional() @IsIn(['api', 'session']) tokenKind?: 'api' | 'session';
  /** A Keyward process acting on its own: `reaper`, `manage` (the management command), `rotate-keys`. */
  @IsOptional() @IsString() @MaxLength(64) system?: string;
}

/** What a change was made to: its type, its id or name, and the account it belongs to. */
export class AuditResource implements AuditResourceView {
  @IsString() @Matches(/^[a-z][a-z-]{0,40}$/) type: string;
  @IsOptional() @IsString() @MaxLength(512) id?: string;
  @IsOptional() @IsString() @MaxLength(256) account?: string;
}

export class AuditResult implements AuditResultView {
  @IsIn(['success', 'failure']) outcome: 'success' | 'failure';
  /** The HTTP status the caller got, for a change made through the gateway. */
  @IsOptional() @IsInt() @Min(100) @Max(599) status?: number;
  /** The error code of a failure (FORBIDDEN, CONFLICT, ...). */
  @IsOptional() @IsString() @MaxLength(64) code?: string;
}

/**
 * One change, as the part of Keyward that saw it describes it. `before` and `after` hold only
 * non-secret fields (`auditFields` in @keyward/domain keeps a fixed list of them).
 */
export class AuditRecordInput {
  /** Chosen by the writer: a record sent twice (a retry) is stored once. */
  @IsUUID() id: string;
  @IsISO8601({ strict: true }) at: string;
  @ValidateNested() @Type(() => AuditActor) actor: AuditActor;
  /** The client's address, as KEYWARD_TRUST_PROXY yields it. */
  @IsOptional() @IsString() @MaxLength(64) address?: string;
  @IsOptional() @IsString() @MaxLength(128) requestId?: string;
  /** `<resource>.<verb>`: account.create, credential.update, session.create, keys.rotate, ... */
  @IsString() @Matches(/^[a-z][a-z-]{0,40}\.[a-z][a-z-]{0,40}$/) action: string;
  @ValidateNested() @Type(() => AuditResource) resource: AuditResource;
  @IsOptional() @IsObject() @Allow() before?: Record<string, unknown>;
  @IsOptional() @IsObject() @Allow() after?: Record<string, unknown>;
  @ValidateNested() @Type(() => AuditResult) result: AuditResult;
}

/** For the gateway and the services' commands: records to append to the chain (answered once stored). */
export class AuditAppendRequest {
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => AuditRecordInput) records: AuditRecordInput[];
}

export class AuditListRequest extends AuthorizedRequest {
  @IsOptional() @IsString() @MaxLength(256) account?: string;
  /** The acting user's name. */
  @IsOptional() @IsString() @MaxLength(256) actor?: string;
  /** An action (credential.create) or every action on a resource type (credential). */
  @IsOptional() @IsString() @MaxLength(90) action?: string;
  @IsOptional() @IsString() @MaxLength(40) resourceType?: string;
  @IsOptional() @IsString() @MaxLength(512) resourceId?: string;
  @IsOptional() @IsIn(['success', 'failure']) outcome?: 'success' | 'failure';
  @IsOptional() @IsISO8601() since?: string;
  @IsOptional() @IsISO8601() until?: string;
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
}
