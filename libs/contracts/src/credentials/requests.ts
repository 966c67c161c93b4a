import { CredentialScope, StoredCredentialType } from '@keyward/domain';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AuthorizedRequest, PageQuery } from '../identity/requests';

/** The account a request acts in, resolved by the gateway; services check the principal may act in it. */
export class AccountScopeDto {
  @IsUUID() id: string;
  @IsString() name: string;
}

export abstract class AccountScopedRequest extends AuthorizedRequest {
  @ValidateNested() @Type(() => AccountScopeDto) account: AccountScopeDto;
}

export class ProjectCreateRequest extends AccountScopedRequest {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() namespace?: string;
  @IsOptional() @IsString() @MaxLength(1024) description?: string;
}

export class ProjectRef extends AccountScopedRequest {
  @IsString() @MaxLength(253) project: string;
}

export class ProjectUpdateRequest extends ProjectRef {
  @IsOptional() @IsString() @MaxLength(1024) description?: string;
}

export class ProjectListRequest extends AccountScopedRequest {
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
}

export class CredentialCreateRequest extends AccountScopedRequest {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() @MaxLength(1024) description?: string;
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsString() scope?: string;
  @IsOptional() @IsString() project?: string;
  @IsOptional() @IsObject() values?: Record<string, unknown>;
  @IsOptional() @IsString() existingSecret?: string;
}

export class CredentialRef extends AccountScopedRequest {
  @IsString() @MaxLength(64) id: string;
}

export class CredentialUpdateRequest extends CredentialRef {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() @MaxLength(1024) description?: string;
  /** New values (rotation): every field of the credential's type. */
  @IsOptional() @IsObject() values?: Record<string, unknown>;
  /** Another scope: `project` (with `project`) or `all`; its Secrets follow in the cluster. */
  @IsOptional() @IsString() scope?: string;
  @IsOptional() @IsString() project?: string;
}

export class CredentialListRequest extends AccountScopedRequest {
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
  @IsOptional() @IsEnum(StoredCredentialType) type?: StoredCredentialType;
  @IsOptional() @IsEnum(CredentialScope) scope?: CredentialScope;
  @IsOptional() @IsString() project?: string;
}

export class EffectiveCredentialsRequest extends ProjectRef {
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
}

export class CredentialExportRequest extends CredentialRef {
  @IsOptional() @IsString() format?: string;
  /** The client address, for the audit log. */
  @IsString() @MaxLength(256) address: string;
}

export class SecretCreateRequest extends AccountScopedRequest {
  @IsOptional() @IsString() namespace?: string;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() @MaxLength(253) type?: string;
  @IsOptional() @IsObject() labels?: Record<string, unknown>;
  @IsOptional() @IsObject() data?: Record<string, unknown>;
}

export class SecretListRequest extends AccountScopedRequest {
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
  @IsOptional() @IsBoolean() unused?: boolean;
  @IsOptional() @IsString() project?: string;
}

export class SecretRef extends AccountScopedRequest {
  @IsString() @MaxLength(253) namespace: string;
  @IsString() @MaxLength(253) name: string;
}

export class AccountPurgeRequest extends AuthorizedRequest {
  @IsUUID() accountId: string;
  @IsInt() @Min(1) @Max(10_000) batchSize: number;
  /** How long this request may go on deleting batch after batch (0: one batch of each kind); 1,000 ms when absent. */
  @IsOptional() @IsInt() @Min(0) @Max(4_000) timeBudgetMs?: number;
}
