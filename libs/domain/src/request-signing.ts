import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from './errors';

/**
 * Keyward's signed requests (docs/auth.md). A client holding an API token `kwt_<id>_<secret>`
 * signs each request with the token's secret; the server, which keeps the secret sealed, computes
 * the same HMAC and compares. Shared by the gateway (checking) and the command line (signing), so
 * both build the string to sign in one way.
 */
export const SIGNING_ALGORITHM = 'KEYWARD-HMAC-SHA256';

/** How far a request's timestamp may be from the server's clock, either way. */
export const SIGNATURE_MAX_SKEW_SECONDS = 300;

export const TOKEN_PREFIX = 'kwt_';
const TOKEN_ID = /^[0-9a-f]{16}$/;
const TOKEN_PATTERN = /^kwt_([0-9a-f]{16})_([0-9a-f]{64})$/;
const TIMESTAMP_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
const AUTHORIZATION_PATTERN = new RegExp(`^${SIGNING_ALGORITHM} +Credential=kwt_([^/,\\s]+)/([^,\\s]+) *, *Signature=([^,\\s]+)$`);

export interface ParsedToken {
  id: string;
  secret: string;
}

/** `kwt_<16 hex id>_<64 hex secret>`, or undefined for anything else. */
export function parseToken(token: string): ParsedToken | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1] ?? '', secret: match[2] ?? '' } : undefined;
}

export function formatToken(id: string, secret: string): string {
  return `${TOKEN_PREFIX}${id}_${secret}`;
}

/**
 * The key a token stands under wherever usernames also do (the gateway's cache, identity's login
 * throttle): `:` cannot be in a username, so no user's entry can collide with a token's.
 */
export function tokenKey(id: string): string {
  return `token:${id}`;
}

export function isTokenId(value: string): boolean {
  return TOKEN_ID.test(value);
}

/** UTC `YYYYMMDDTHHMMSSZ`. */
export function formatSigningTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The instant a `YYYYMMDDTHHMMSSZ` timestamp names, or undefined when it is not one. */
export function parseSigningTimestamp(value: string): Date | undefined {
  const match = TIMESTAMP_PATTERN.exec(value);
  if (!match) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20261332 over into the next year; a real timestamp round-trips.
  return formatSigningTimestamp(date) === value ? date : undefined;
}

/**
 * The path as sent, with the query parameters sorted by key (parameters with the same key keep
 * their order). Parameters are taken as they appear on the wire, still percent-encoded; empty
 * ones (`a=1&&b=2`) are dropped. Without a query, the path alone.
 */
export function canonicalPath(url: string): string {
  const questionMark = url.indexOf('?');
  if (questionMark < 0) {
    return url;
  }
  const path = url.slice(0, questionMark);
  const keyOf = (parameter: string) => parameter.split('=', 1)[0] ?? '';
  const parameters = url
    .slice(questionMark + 1)
    .split('&')
    .filter((parameter) => parameter !== '')
    .map((parameter, index) => ({ parameter, index }))
    .sort((a, b) => {
      const [keyA, keyB] = [keyOf(a.parameter), keyOf(b.parameter)];
      return keyA < keyB ? -1 : keyA > keyB ? 1 : a.index - b.index;
    })
    .map(({ parameter }) => parameter);
  return parameters.length > 0 ? `${path}?${parameters.join('&')}` : path;
}

export interface SignableRequest {
  method: string;
  /** Path and query string as sent, e.g. `/v1/accounts?state=enabled`. */
  url: string;
  /** The request body as sent; none, or empty, for a request without one. */
  body?: Buffer | string;
  timestamp: string;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The five lines joined by `\n`: algorithm, timestamp, METHOD, canonical path, SHA-256 of the body. */
export function stringToSign(request: SignableRequest): string {
  return [SIGNING_ALGORITHM, request.timestamp, request.method.toUpperCase(), canonicalPath(request.url), sha256Hex(request.body ?? '')].join('\n');
}

/** Hex HMAC-SHA256 of the string to sign, keyed with the token's secret. */
export function computeSignature(secret: string, toSign: string): string {
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The `Authorization` header value for a request signed with `token`. */
export function signRequest(token: string, request: Omit<SignableRequest, 'timestamp'>, now: Date = new Date()): string {
  const parsed = parseToken(token);
  if (!parsed) {
    throw new Error('Not a Keyward API token: expected kwt_<id>_<secret>');
  }
  const timestamp = formatSigningTimestamp(now);
  const signature = computeSignature(parsed.secret, stringToSign({ ...request, timestamp }));
  return `${SIGNING_ALGORITHM} Credential=${TOKEN_PREFIX}${parsed.id}/${timestamp},Signature=${signature}`;
}

export interface SignedAuthorization {
  tokenId: string;
  timestamp: string;
  signature: string;
}

export type AuthorizationParseResult = { ok: true; value: SignedAuthorization } | { ok: false; reason: string };

/** Reads a `KEYWARD-HMAC-SHA256 Credential=kwt_<id>/<timestamp>,Signature=<hex>` header. */
export function parseSignedAuthorization(header: string): AuthorizationParseResult {
  const match = AUTHORIZATION_PATTERN.exec(header.trim());
  if (!match) {
    return { ok: false, reason: `Malformed ${SIGNING_ALGORITHM} authorization: expected Credential=kwt_<id>/<timestamp>,Signature=<hex>` };
  }
  const [tokenId = '', timestamp = '', signature = ''] = match.slice(1);
  if (!isTokenId(tokenId)) {
    return { ok: false, reason: 'Malformed token id in Credential: expected kwt_ and 16 hexadecimal digits' };
  }
  if (!parseSigningTimestamp(timestamp)) {
    return { ok: false, reason: 'Malformed timestamp in Credential: expected UTC YYYYMMDDTHHMMSSZ' };
  }
  if (!SIGNATURE_PATTERN.test(signature)) {
    return { ok: false, reason: 'Malformed Signature: expected 64 lowercase hexadecimal digits' };
  }
  return { ok: true, value: { tokenId, timestamp, signature } };
}

export function isSchemeOf(header: string | undefined, scheme: string): boolean {
  return header !== undefined && header.slice(0, scheme.length + 1).toLowerCase() === `${scheme.toLowerCase()} `;
}

/** Refuses a signing time more than SIGNATURE_MAX_SKEW_SECONDS away from `now`, either way. */
export function assertTimestampFresh(signedAt: Date, now: Date): void {
  const skewSeconds = Math.abs(now.getTime() - signedAt.getTime()) / 1000;
  if (skewSeconds > SIGNATURE_MAX_SKEW_SECONDS) {
    throw new DomainError(
      ErrorCode.StaleSignature,
      `Request timestamp is ${Math.round(skewSeconds)} s from the server's clock (at most ${SIGNATURE_MAX_SKEW_SECONDS} s allowed): check the client's clock`,
    );
  }
}
