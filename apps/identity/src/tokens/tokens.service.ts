import { Injectable } from '@nestjs/common';
import {
  type ApiTokenView,
  type CreatedTokenView,
  type Page,
  type TokenCreateRequest,
  TokenKind,
  type TokenListRequest,
  type TokenRevokeRequest,
  type UserTokensRevokeRequest,
} from '@keyward/contracts';
import {
  assertMayActOnUser,
  assertPrincipalEnabled,
  assertWritable,
  DomainError,
  ErrorCode,
  formatToken,
  GLOBAL_DOMAIN,
  isAdministrator,
  isTokenId,
} from '@keyward/domain';
import { isUniqueViolation, KeyRing, toRfc3339 } from '@keyward/nest-common';
import { randomBytes } from 'node:crypto';
import { IdentityConfig } from '../config';
import { PrincipalEvents } from '../events/principal-events';
import { UserRepository } from '../users/user.repository';
import { type ApiTokenRow, ApiTokenRepository } from './api-token.repository';
import { tokenFields } from './token-fields';

const DAY_MS = 86_400_000;

/** The record a token's sealed secret is bound to. */
export function tokenContext(id: string): string {
  return `api-token:${id}`;
}

export function toApiTokenView(row: ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    username: row.username,
    account: row.account_name,
    readOnly: row.read_only,
    created_at: toRfc3339(row.created_at),
    expires_at: toRfc3339(row.expires_at),
    last_used_at: row.last_used_at ? toRfc3339(row.last_used_at) : null,
  };
}

function refuse(action: string): DomainError {
  return new DomainError(ErrorCode.Forbidden, `Not authorized. Requires permissions: domain=${GLOBAL_DOMAIN} action=${action} target=*`);
}

/** API tokens and console sessions: created by their user, listed without secrets, revoked. */
@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly users: UserRepository,
    private readonly keyRing: KeyRing,
    private readonly config: IdentityConfig,
    private readonly principalEvents: PrincipalEvents,
  ) {}

  async create(request: TokenCreateRequest): Promise<CreatedTokenView> {
    const { principal } = request;
    assertPrincipalEnabled(principal);
    assertWritable(principal, 'createToken');
    // A session comes from a password only: a stolen token or session must not mint fresh sessions.
    if (request.kind === TokenKind.Session && principal.tokenId !== undefined) {
      throw new DomainError(ErrorCode.PasswordRequired, 'A session starts from a password: sign in with your username and password (HTTP Basic)');
    }
    const fields =
      request.kind === TokenKind.Session ? { name: 'console', expiresInDays: this.config.KEYWARD_SESSION_HOURS / 24, readOnly: false } : tokenFields(request);
    const user = await this.users.findInAccount(principal.accountId, principal.username);
    if (!user) {
      throw new DomainError(ErrorCode.UserNotFound, 'User not found');
    }
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('hex');
    try {
      await this.tokens.insert({
        id,
        userId: user.id,
        kind: request.kind,
        name: fields.name,
        secretSealed: this.keyRing.seal(secret, tokenContext(id)),
        readOnly: fields.readOnly,
        expiresAt: new Date(Date.now() + fields.expiresInDays * DAY_MS),
      });
    } catch (error: unknown) {
      if (isUniqueViolation(error, 'api_tokens_live_name_unique')) {
        throw new DomainError(ErrorCode.TokenAlreadyExists, `You already have a token named ${fields.name}: revoke it or choose another name`);
      }
      throw error;
    }
    const row = await this.tokens.find(id);
    if (!row) {
      throw new DomainError(ErrorCode.Internal, 'Internal error');
    }
    return { ...toApiTokenView(row), token: formatToken(id, secret) };
  }

  /** The caller's own API tokens; with `all`, everyone's (administrators, superusers, staff). */
  async list(request: TokenListRequest): Promise<Page<ApiTokenView>> {
    const { principal } = request;
    assertPrincipalEnabled(principal);
    if (request.all && !isAdministrator(principal) && principal.staff !== true) {
      throw refuse('listTokens');
    }
    const filter = request.all
      ? { kind: TokenKind.Api, username: request.username, account: request.account }
      : { kind: TokenKind.Api, username: principal.username };
    const rows = await this.tokens.listLive(filter, request.page.limit ?? 100, request.page.offset ?? 0);
    return { items: rows.map(toApiTokenView), total: Number(rows[0]?.total ?? 0) };
  }

  /** Revokes one of the caller's tokens (or sessions); with `any`, anyone's (administrators, superusers). */
  async revoke(request: TokenRevokeRequest): Promise<Record<string, never>> {
    const { principal } = request;
    assertPrincipalEnabled(principal);
    assertWritable(principal, 'revokeToken');
    if (request.any && !isAdministrator(principal)) {
      throw refuse('revokeToken');
    }
    const owner = isTokenId(request.id) ? await this.tokens.revoke(request.id, request.any ? undefined : principal.username, request.kind) : null;
    if (!owner) {
      throw new DomainError(ErrorCode.TokenNotFound, 'Token not found');
    }
    await this.principalEvents.changed({ tokenIds: [request.id] });
    return {};
  }

  /** Every API token and session of one user, revoked at once (administrators, superusers). */
  async revokeAllOfUser(request: UserTokensRevokeRequest): Promise<{ revoked: number }> {
    const { principal } = request;
    assertPrincipalEnabled(principal);
    assertWritable(principal, 'revokeToken');
    if (!isAdministrator(principal)) {
      throw refuse('revokeToken');
    }
    const user = await this.users.findByUsername(request.username);
    if (!user) {
      throw new DomainError(ErrorCode.UserNotFound, 'User not found');
    }
    assertMayActOnUser(principal, user, 'revokeToken');
    const revoked = await this.tokens.revokeAllOf(user.id, [TokenKind.Api, TokenKind.Session]);
    if (revoked.length > 0) {
      await this.principalEvents.changed({ tokenIds: revoked });
    }
    return { revoked: revoked.length };
  }
}
