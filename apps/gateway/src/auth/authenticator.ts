import { Injectable } from '@nestjs/common';
import { IdentitySubjects, type SignatureVerifyRequest } from '@keyward/contracts';
import { DomainError, ErrorCode, type ParsedToken, type Principal, tokenKey } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { CredentialCache } from './credential-cache';

/**
 * Credentials in, principal out: cached, else verified by identity, which also throttles guesses
 * (its counters are shared by every replica) by the client address passed along. Passwords and
 * bearer tokens are cached (as keyed digests); signed requests always go to identity, which alone
 * can tell a replay on any replica.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly rpc: RpcClient,
    private readonly cache: CredentialCache,
  ) {}

  async withPassword(username: string, password: string, address: string): Promise<Principal> {
    const cached = this.cache.get(username, password);
    if (cached) {
      return cached;
    }
    try {
      const principal = await this.rpc.send(IdentitySubjects.authVerify, { username, password, address });
      this.cache.set(username, password, principal);
      return principal;
    } catch (error: unknown) {
      // A username or password identity cannot even look at (too long) is a wrong one too.
      if (error instanceof DomainError && error.code === ErrorCode.ValidationFailed) {
        throw new DomainError(ErrorCode.Unauthorized, 'Unauthorized');
      }
      throw error;
    }
  }

  async withToken(token: ParsedToken, address: string): Promise<Principal> {
    const key = tokenKey(token.id);
    const cached = this.cache.get(key, token.secret);
    if (cached) {
      return cached;
    }
    const principal = await this.rpc.send(IdentitySubjects.tokenVerify, { tokenId: token.id, secret: token.secret, address });
    this.cache.set(key, token.secret, principal);
    return principal;
  }

  withSignature(request: SignatureVerifyRequest, address: string): Promise<Principal> {
    return this.rpc.send(IdentitySubjects.tokenVerifySignature, { ...request, address });
  }
}
