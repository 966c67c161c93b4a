import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { type Principal } from '@keyward/domain';
import { type FastifyRequest } from 'fastify';
import { BasicStrategy as PassportBasicStrategy } from 'passport-http';
import { Authenticator } from './authenticator';

export const BASIC_STRATEGY = 'basic';

/** HTTP Basic, as Anchore clients send it. */
@Injectable()
export class BasicStrategy extends PassportStrategy(PassportBasicStrategy, BASIC_STRATEGY) {
  constructor(private readonly authenticator: Authenticator) {
    super({ passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<Principal> {
    return this.authenticator.withPassword(username, password, request.ip);
  }
}
