import { Injectable } from '@nestjs/common';
import { type VerifiedPrincipal, type VerifyCredentialsRequest } from '@keyward/contracts';
import { DomainError, ErrorCode } from '@keyward/domain';
import { UserRepository } from '../users/user.repository';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Checks a username and password. An unknown user, a user without a password and a wrong
   * password get the same answer after the same amount of work.
   */
  async verify(request: VerifyCredentialsRequest): Promise<VerifiedPrincipal> {
    const login = await this.users.findLogin(request.username);
    const ok = await this.hasher.verify(login?.passwordHash ?? null, request.password);
    if (!login || !ok) {
      throw new DomainError(ErrorCode.Unauthorized, 'Unauthorized');
    }
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
