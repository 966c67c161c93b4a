import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { isSchemeOf, type Principal } from '@keyward/domain';
import { type FastifyRequest } from 'fastify';
import { Strategy as CustomStrategy } from 'passport-custom';
import { Authenticator } from './authenticator';

export const BASIC_STRATEGY = 'basic';

/**
 * `user:password` of an `Authorization: Basic` header (RFC 7617): split at the first colon, so a
 * password may hold colons; undefined when the header is no Basic one or lacks either part.
 * (passport-http split at every colon, cutting such a password short, and decoded with the
 * deprecated `new Buffer()`.)
 */
export function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  if (!isSchemeOf(header, 'Basic')) {
    return undefined;
  }
  const decoded = Buffer.from((header ?? '').slice('Basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    return undefined;
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** HTTP Basic, as Anchore clients send it. */
@Injectable()
export class BasicStrategy extends PassportStrategy(CustomStrategy, BASIC_STRATEGY) {
  constructor(private readonly authenticator: Authenticator) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal | false> {
    const credentials = basicCredentials(request.headers.authorization);
    return credentials ? this.authenticator.withPassword(credentials.username, credentials.password, request.ip) : false;
  }
}
