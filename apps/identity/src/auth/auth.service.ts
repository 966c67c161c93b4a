import { Injectable } from '@nestjs/common';
import { type VerifiedPrincipal, type VerifyCredentialsRequest } from '@keyward/contracts';
import { DomainError, ErrorCode } from '@keyward/domain';
import { UserRepository } from '../users/user.repository';
import { LoginThrottle, UNKNOWN_ADDRESS } from './login-throttle';
import { PasswordHasher } from './password-hasher';

/** What a client sends that no username can hold: refused as a wrong password, never looked up. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Checks a username and password. An unknown user, a user without a password and a wrong
   * password get the same answer after the same amount of work. Every failure counts against
   * the username and the client's address.
   */
  async verify(request: VerifyCredentialsRequest): Promise<VerifiedPrincipal> {
    const address = request.address ?? UNKNOWN_ADDRESS;
    await this.throttle.assertAllowed(request.username, address);
    const login = CONTROL_CHARACTER.test(request.username) ? null : await this.users.findLogin(request.username);
    const ok = await this.hasher.verify(login?.passwordHash ?? null, request.password);
    if (!login || !ok) {
      await this.throttle.recordFailure(request.username, address);
      throw new DomainError(ErrorCode.Unauthorized, 'Unauthorized');
    }
    await this.throttle.recordSuccess(request.username, address);
    const { user } = login;
    return {
      username: user.username,
      accountId: user.account.id,
      accountName: user.account.name,
      accountType: user.account.type,
      accountState: user.account.state,
      superuser: user.superuser,
      staff: user.staff,
    };
  }
}
