import { AccountState, CredentialType } from '@keyward/domain';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PrincipalDto } from '../principal.dto';

/** Base of every request made on behalf of a caller. */
export abstract class AuthorizedRequest {
  @ValidateNested()
  @Type(() => PrincipalDto)
  principal: PrincipalDto;
}

export const MAX_PAGE_SIZE = 1000;

export class PageQuery {
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  @IsOptional() @IsInt() @Min(0) offset?: number;
  /** The `next` cursor of the page before (keyset pagination, where a list supports it): then `offset` is not used. */
  @IsOptional() @IsString() @MaxLength(200) after?: string;
}

export class VerifyCredentialsRequest {
  @IsString() @MaxLength(256) username: string;
  @IsString() @MaxLength(1024) password: string;
  /** The client's address as the gateway sees it (behind KEYWARD_TRUST_PROXY): what the login throttle counts by. */
  @IsOptional() @IsString() @MaxLength(64) address?: string;
}

export class AccountListRequest extends AuthorizedRequest {
  @IsOptional() @IsEnum(AccountState) state?: AccountState;
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
}

export class AccountCreateRequest extends AuthorizedRequest {
  /** Optional here so that identity answers a missing name with Anchore's own message. */
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsEmail({ require_tld: false }) @MaxLength(255) email?: string | null;
  @IsOptional() @IsString() type?: string;
}

export class AccountIdRef extends AuthorizedRequest {
  @IsUUID() accountId: string;
}

export class AccountListDeletingRequest extends AuthorizedRequest {
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
}

export class AccountByNameRequest extends AuthorizedRequest {
  @IsString() @MaxLength(256) account: string;
}

export class AccountRef extends AuthorizedRequest {
  @IsString() @MaxLength(256) account: string;
}

export class AccountUpdateStateRequest extends AccountRef {
  @IsIn([AccountState.Enabled, AccountState.Disabled]) state: AccountState.Enabled | AccountState.Disabled;
}

export class UserListRequest extends AccountRef {
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
}

export class UserCreateRequest extends AccountRef {
  @IsString() username: string;
  @IsString() password: string;
}

export class UserRef extends AccountRef {
  @IsString() @MaxLength(256) username: string;
}

export class CredentialSetRequest extends UserRef {
  @IsString() type: string;
  @IsOptional() @IsString() value?: string;
  /** Proof for changing one's own password with a token or session (Basic callers proved it already). */
  @IsOptional() @IsString() @MaxLength(1024) currentPassword?: string;
  /** Also revoke the user's API tokens (sessions always end with a new password). */
  @IsOptional() @IsBoolean() revokeTokens?: boolean;
  /** The client's address as the gateway sees it (behind KEYWARD_TRUST_PROXY): what the login throttle counts by. */
  @IsOptional() @IsString() @MaxLength(64) address?: string;
}

/** An administrator ends every API token and session of one user. */
export class UserTokensRevokeRequest extends AuthorizedRequest {
  @IsString() @MaxLength(256) username: string;
}

export class CredentialDeleteRequest extends UserRef {
  @IsEnum(CredentialType) type: CredentialType;
}

export class AdminUserListRequest extends AuthorizedRequest {
  @IsOptional() @IsString() @MaxLength(256) account?: string;
  @IsOptional() @IsBoolean() staff?: boolean;
  @IsOptional() @IsBoolean() superuser?: boolean;
  @IsOptional() @IsString() @MaxLength(128) usernamePrefix?: string;
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
}

export class UserRolesRequest extends AuthorizedRequest {
  @IsString() @MaxLength(256) username: string;
  @IsOptional() @IsBoolean() staff?: boolean;
  @IsOptional() @IsBoolean() superuser?: boolean;
}

export enum TokenKind {
  /** Created by a user for scripts and the command line; listed on the token page. */
  Api = 'api',
  /** A console sign-in; ends on sign-out and when the user's password changes. */
  Session = 'session',
}

export class TokenCreateRequest extends AuthorizedRequest {
  @IsEnum(TokenKind) kind: TokenKind;
  /** Checked by identity, so that a missing or bad name gets a message that names the field. */
  @IsOptional() name?: unknown;
  @IsOptional() expiresInDays?: unknown;
  @IsOptional() readOnly?: unknown;
}

export class TokenListRequest extends AuthorizedRequest {
  /** Every user's tokens (administrators, superusers and staff), else the caller's own. */
  @IsBoolean() all: boolean;
  @IsOptional() @IsString() @MaxLength(256) account?: string;
  @IsOptional() @IsString() @MaxLength(256) username?: string;
  @ValidateNested() @Type(() => PageQuery) page: PageQuery;
}

export class TokenRevokeRequest extends AuthorizedRequest {
  @IsString() @MaxLength(64) id: string;
  /** Anyone's token (administrators and superusers), else only one of the caller's own. */
  @IsBoolean() any: boolean;
  /** Only a token of this kind (a sign-out ends a session, never an API token). */
  @IsOptional() @IsEnum(TokenKind) kind?: TokenKind;
}

export class TokenVerifyRequest {
  @IsString() @Matches(/^[0-9a-f]{16}$/) tokenId: string;
  @IsString() @MaxLength(128) secret: string;
  /** The client's address as the gateway sees it (behind KEYWARD_TRUST_PROXY): what the login throttle counts by. */
  @IsOptional() @IsString() @MaxLength(64) address?: string;
}

export class SignatureVerifyRequest {
  @IsString() @Matches(/^[0-9a-f]{16}$/) tokenId: string;
  @IsString() @Matches(/^\d{8}T\d{6}Z$/) timestamp: string;
  @IsString() @MaxLength(16_384) stringToSign: string;
  @IsString() @Matches(/^[0-9a-f]{64}$/) signature: string;
  /** The client's address as the gateway sees it (behind KEYWARD_TRUST_PROXY): what the login throttle counts by. */
  @IsOptional() @IsString() @MaxLength(64) address?: string;
}
