import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import {
  assertTimestampFresh,
  DomainError,
  ErrorCode,
  isSchemeOf,
  parseSignedAuthorization,
  parseSigningTimestamp,
  type Principal,
  SIGNING_ALGORITHM,
  stringToSign,
} from '@keyward/domain';
import { type FastifyRequest } from 'fastify';
import { Strategy as CustomStrategy } from 'passport-custom';
import { Authenticator } from './authenticator';

export const SIGNATURE_STRATEGY = 'keyward-signature';

/**
 * `Authorization: KEYWARD-HMAC-SHA256 Credential=kwt_<id>/<timestamp>,Signature=<hex>` (docs/auth.md).
 * The gateway builds the string to sign from the request as received (method, URL as sent, raw
 * body) and refuses stale timestamps at once; identity, which holds the sealed secret, checks the
 * HMAC and that the signature is new.
 */
@Injectable()
export class SignatureStrategy extends PassportStrategy(CustomStrategy, SIGNATURE_STRATEGY) {
  constructor(private readonly authenticator: Authenticator) {
    super();
  }

  async validate(request: FastifyRequest & { rawBody?: Buffer }): Promise<Principal | false> {
    const header = request.headers.authorization;
    if (!isSchemeOf(header, SIGNING_ALGORITHM)) {
      return false;
    }
    const parsed = parseSignedAuthorization(header ?? '');
    if (!parsed.ok) {
      throw new DomainError(ErrorCode.MalformedSignature, parsed.reason);
    }
    const { tokenId, timestamp, signature } = parsed.value;
    assertTimestampFresh(parseSigningTimestamp(timestamp) ?? new Date(0), new Date());
    const toSign = stringToSign({ method: request.method, url: request.url, body: request.rawBody, timestamp });
    return this.authenticator.withSignature({ tokenId, timestamp, stringToSign: toSign, signature }, request.ip);
  }
}
