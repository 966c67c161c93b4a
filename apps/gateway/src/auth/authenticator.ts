import { Injectable } from '@nestjs/common';
import { IdentitySubjects } from '@keyward/contracts';
import { DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { CredentialCache } from './credential-cache';
import { LoginThrottle } from './login-throttle';

/** Username and password in, principal out: throttled, cached, verified by identity. */
@Injectable()
export class Authenticator {
  constructor(
    private readonly rpc: RpcClient,
    private readonly cache: CredentialCache,
    private readonly throttle: LoginThrottle,
  ) {}

  async withPassword(username: string, password: string, address: string): Promise<Principal> {
    const cached = this.cache.get(username, password);
    if (cached) {
      return cached;
    }
    await this.throttle.assertAllowed(username, address);
    try {
      const principal = await this.rpc.send(IdentitySubjects.authVerify, { username, password });
      this.cache.set(username, password, principal);
      await this.throttle.recordSuccess(username, address);
      return principal;
    } catch (error: unknown) {
      if (error instanceof DomainError && (error.code === ErrorCode.Unauthorized || error.code === ErrorCode.ValidationFailed)) {
        await this.throttle.recordFailure(username, address);
        throw new DomainError(ErrorCode.Unauthorized, 'Unauthorized');
      }
      throw error;
    }
  }
}
