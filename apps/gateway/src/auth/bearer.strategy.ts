import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { DomainError, ErrorCode, parseToken, type Principal } from '@keyward/domain';
import { type FastifyRequest } from 'fastify';
import { Strategy as PassportBearerStrategy } from 'passport-http-bearer';
import { Authenticator } from './authenticator';

export const BEARER_STRATEGY = 'bearer';

/** `Authorization: Bearer kwt_<id>_<secret>`: an API token sent as it is, for curl and the console. */
@Injectable()
export class BearerStrategy extends PassportStrategy(PassportBearerStrategy, BEARER_STRATEGY) {
  constructor(private readonly authenticator: Authenticator) {
    super({ passReqToCallback: true });
  }

  validate(request: FastifyRequest, token: string): Promise<Principal> {
    const parsed = parseToken(token);
    if (!parsed) {
      throw new DomainError(ErrorCode.UnknownToken, 'Malformed API token: expected kwt_<id>_<secret>');
    }
    return this.authenticator.withToken(parsed, request.ip);
  }
}
