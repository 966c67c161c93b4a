import { Injectable } from '@nestjs/common';
import { IdentitySubjects, type SignatureVerifyRequest } from '@keyward/contracts';
import { DomainError, ErrorCode, type ParsedToken, type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { CredentialCache } from './credential-cache';
import { LoginThrottle } from './login-throttle';

/** Refusals that count as a failed login for the throttle. */
const FAILED_LOGIN_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.Unauthorized,
  ErrorCode.ValidationFailed,
  ErrorCode.UnknownToken,
  ErrorCode.RevokedToken,
  ErrorCode.ExpiredToken,
  ErrorCode.BadSignature,
  ErrorCode.ReplayedSignature,
]);

const isFailedLogin = (error: unknown): error is DomainError => error instanceof DomainError && FAILED_LOGIN_CODES.has(error.code);

/** Cache and throttle key of a token: `:` cannot be in a username, so no user's entry can collide. */
export const tokenKey = (id: string): string => `token:${id}`;

/**
 * Credentials in, principal out: throttled, cached, verified by identity. Passwords and bearer
 * tokens are cached (as keyed digests); signed requests always go to identity, which alone can tell
 * a replay on any replica.
 */
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
      if (isFailedLogin(error)) {
        await this.throttle.recordFailure(username, address);
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
    await this.throttle.assertAllowed(key, address);
    try {
      const principal = await this.rpc.send(IdentitySubjects.tokenVerify, { tokenId: token.id, secret: token.secret });
      this.cache.set(key, token.secret, principal);
      return principal;
    } catch (error: unknown) {
      if (isFailedLogin(error)) await this.throttle.recordFailure(key, address);
      throw error;
    }
  }

  /** A password proved inside a request (`currentPassword`) is throttled as a login is. */
  async provingPassword<T>(username: string, address: string, run: () => Promise<T>): Promise<T> {
    await this.throttle.assertAllowed(username, address);
    try {
      return await run();
    } catch (error: unknown) {
      if (error instanceof DomainError && error.code === ErrorCode.CurrentPasswordIncorrect) await this.throttle.recordFailure(username, address);
      throw error;
    }
  }

  async withSignature(request: SignatureVerifyRequest, address: string): Promise<Principal> {
    const key = tokenKey(request.tokenId);
    await this.throttle.assertAllowed(key, address);
    try {
      return await this.rpc.send(IdentitySubjects.tokenVerifySignature, request);
    } catch (error: unknown) {
      if (isFailedLogin(error)) await this.throttle.recordFailure(key, address);
      throw error;
    }
  }
}
