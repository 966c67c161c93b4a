import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type SignatureVerifyRequest, type TokenVerifyRequest, type VerifiedPrincipal } from '@keyward/contracts';
import {
  assertTimestampFresh,
  computeSignature,
  DomainError,
  ErrorCode,
  parseSigningTimestamp,
  SIGNATURE_MAX_SKEW_SECONDS,
  signaturesMatch,
  SIGNING_ALGORITHM,
  tokenKey,
} from '@keyward/domain';
import { KeyRing, toRfc3339 } from '@keyward/nest-common';
import { LRUCache } from 'lru-cache';
import { LoginThrottle, UNKNOWN_ADDRESS } from '../auth/login-throttle';
import { type ApiTokenRow, ApiTokenRepository } from './api-token.repository';
import { tokenContext } from './tokens.service';

const PRUNE_INTERVAL_MS = 60_000;
/** Revoked and expired tokens stay this long (so they are refused as such), then go. */
const ENDED_TOKEN_RETENTION_DAYS = 30;

/** Refusals that count as a failed login for the throttle. */
const FAILED_LOGIN_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.UnknownToken,
  ErrorCode.RevokedToken,
  ErrorCode.ExpiredToken,
  ErrorCode.BadSignature,
  ErrorCode.ReplayedSignature,
]);

/** Opened token secrets kept in memory, so a signed request does not unseal one each time. */
const OPENED_SECRETS = 10_000;
const OPENED_SECRET_TTL_MS = 10 * 60_000;
/** As `LAST_USED_GRANULARITY` in the repository: how stale a token's `last_used_at` may be. */
const LAST_USED_NOTE_MS = 60_000;

/** A token that is live: its sealed secret is still there. */
type LiveToken = ApiTokenRow & { secret_sealed: string };

/**
 * Checks bearer tokens and signed requests. Each refusal names what is wrong (unknown, revoked,
 * expired, bad signature, stale, replayed) and nothing secret. Secrets are opened here only, and
 * compared in constant time.
 */
@Injectable()
export class TokenVerifier implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TokenVerifier.name);
  private pruneTimer?: NodeJS.Timeout;
  /**
   * Token id -> its sealed secret and the secret it opens to. Used only while the token's row,
   * read for every request, still holds that sealed secret: a revoked token (secret wiped) or a
   * re-sealed one (key rotation) is never answered from here.
   */
  private readonly opened = new LRUCache<string, { sealed: string; secret: string }>({ max: OPENED_SECRETS, ttl: OPENED_SECRET_TTL_MS });
  /** When this replica last wrote each token's `last_used_at` for a signed request. */
  private readonly lastNoted = new LRUCache<string, number>({ max: OPENED_SECRETS });

  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly keyRing: KeyRing,
    private readonly throttle: LoginThrottle,
  ) {}

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruneTimer);
  }

  private async prune(): Promise<void> {
    try {
      await this.tokens.pruneSignatures();
      await this.tokens.pruneEnded(ENDED_TOKEN_RETENTION_DAYS);
      await this.throttle.prune();
    } catch (error: unknown) {
      this.logger.warn(`Pruning tokens failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Runs a check of the token and counts a failed one; past the limits, a failed check answers 429.
   * The check comes first (passwords are refused unchecked while their guesses are spent): a token's
   * secret is 256 random bits, so the throttle has nothing to slow for it, and a client whose token
   * is right is never refused because others at its address guessed wrong. A successful check costs
   * no throttle read.
   */
  private async counted(tokenId: string, address: string | undefined, check: () => Promise<VerifiedPrincipal>): Promise<VerifiedPrincipal> {
    try {
      return await check();
    } catch (error: unknown) {
      if (error instanceof DomainError && FAILED_LOGIN_CODES.has(error.code)) {
        await this.throttle.recordFailure(tokenKey(tokenId), address ?? UNKNOWN_ADDRESS, { refuseOver: true });
      }
      throw error;
    }
  }

  verifyBearer(request: TokenVerifyRequest): Promise<VerifiedPrincipal> {
    return this.counted(request.tokenId, request.address, () => this.checkBearer(request));
  }

  verifySignature(request: SignatureVerifyRequest): Promise<VerifiedPrincipal> {
    return this.counted(request.tokenId, request.address, () => this.checkSignature(request));
  }

  private async checkBearer(request: TokenVerifyRequest): Promise<VerifiedPrincipal> {
    const token = await this.tokens.find(request.tokenId);
    if (!token) {
      throw new DomainError(ErrorCode.UnknownToken, 'Unknown API token');
    }
    const live = this.assertLive(token);
    // A wrong secret for a real id reads as an unknown token: the id alone proves nothing.
    if (!signaturesMatch(this.secretOf(live), request.secret)) {
      throw new DomainError(ErrorCode.UnknownToken, 'Unknown API token');
    }
    await this.tokens.touch(token.id);
    return TokenVerifier.principalOf(token);
  }

  /**
   * One clock, the database's, judges a signature's freshness, its token's expiry and when its
   * replay record may go: no replica's clock can reopen a window another has closed. One
   * statement reads the token and records the signature; one that does not match is taken back.
   */
  private async checkSignature(request: SignatureVerifyRequest): Promise<VerifiedPrincipal> {
    const signedAt = parseSigningTimestamp(request.timestamp);
    const lines = request.stringToSign.split('\n');
    if (!signedAt || lines[0] !== SIGNING_ALGORITHM || lines[1] !== request.timestamp) {
      throw new DomainError(ErrorCode.MalformedSignature, `Malformed ${SIGNING_ALGORITHM} request`);
    }
    const windowEnds = new Date(signedAt.getTime() + SIGNATURE_MAX_SKEW_SECONDS * 1000 + 1000);
    const token = await this.tokens.findAndRecordSignature(request.tokenId, request.signature, windowEnds);
    if (!token) {
      throw new DomainError(ErrorCode.UnknownToken, 'Unknown API token');
    }
    try {
      assertTimestampFresh(signedAt, token.checked_at);
      const live = this.assertLive(token);
      if (!signaturesMatch(computeSignature(this.secretOf(live), request.stringToSign), request.signature)) {
        throw new DomainError(
          ErrorCode.BadSignature,
          'Signature does not match: sign the method, the path with its query sorted by key and the SHA-256 of the body, as docs/auth.md describes',
        );
      }
    } catch (error: unknown) {
      if (token.fresh) await this.tokens.forgetSignature(request.signature);
      throw error;
    }
    if (!token.fresh) {
      throw new DomainError(ErrorCode.ReplayedSignature, 'This signature was already used: sign each request anew');
    }
    await this.noteUse(token);
    return TokenVerifier.principalOf(token);
  }

  /**
   * `last_used_at` after a verified signature, written at most once a minute per token by this
   * replica (the statement itself also skips a recent one): a check is otherwise one statement.
   */
  private async noteUse(token: ApiTokenRow): Promise<void> {
    const now = Date.now();
    if ((this.lastNoted.get(token.id) ?? 0) > now - LAST_USED_NOTE_MS) return;
    this.lastNoted.set(token.id, now);
    await this.tokens.touch(token.id).catch((error: unknown) => {
      this.logger.warn(`Noting the use of token ${token.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private assertLive(token: ApiTokenRow): LiveToken {
    if (token.revoked_at !== null || token.secret_sealed === null) {
      throw new DomainError(ErrorCode.RevokedToken, 'The API token was revoked');
    }
    if (token.expired) {
      throw new DomainError(ErrorCode.ExpiredToken, `The API token expired at ${toRfc3339(token.expires_at)}`);
    }
    return token as LiveToken;
  }

  private secretOf(token: LiveToken): string {
    const known = this.opened.get(token.id);
    if (known?.sealed === token.secret_sealed) {
      return known.secret;
    }
    const secret = this.keyRing.open(token.secret_sealed, tokenContext(token.id));
    this.opened.set(token.id, { sealed: token.secret_sealed, secret });
    return secret;
  }

  private static principalOf(token: ApiTokenRow): VerifiedPrincipal {
    return {
      username: token.username,
      accountId: token.account_id,
      accountName: token.account_name,
      accountType: token.account_type,
      accountState: token.account_state,
      superuser: token.superuser,
      staff: token.staff,
      tokenId: token.id,
      readOnly: token.read_only,
      tokenKind: token.kind,
      tokenExpiresAt: toRfc3339(token.expires_at),
    };
  }
}
