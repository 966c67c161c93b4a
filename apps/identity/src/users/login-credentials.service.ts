import { Injectable } from '@nestjs/common';
import { type CredentialDeleteRequest, type CredentialSetRequest, type CredentialView, TokenKind, type UserRef } from '@keyward/contracts';
import { assertMayAct, assertMayActOnUser, CredentialType, DomainError, ErrorCode, passwordProblem, type Principal } from '@keyward/domain';
import { LoginThrottle, UNKNOWN_ADDRESS } from '../auth/login-throttle';
import { PasswordHasher } from '../auth/password-hasher';
import { PrincipalEvents } from '../events/principal-events';
import { ApiTokenRepository } from '../tokens/api-token.repository';
import { AccountLookup } from './account-lookup';
import { toCredentialView } from './user.mapper';
import { UserRepository } from './user.repository';

/** A user's login credentials (Anchore's `/credentials` routes). Only passwords exist. */
@Injectable()
export class LoginCredentialsService {
  constructor(
    private readonly lookup: AccountLookup,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly principalEvents: PrincipalEvents,
    private readonly tokens: ApiTokenRepository,
    private readonly throttle: LoginThrottle,
  ) {}

  async list(request: UserRef): Promise<CredentialView[]> {
    assertMayAct(request.principal, request.account, 'getUser', request.username);
    const user = await this.lookup.user(request.account, request.username);
    const password = await this.users.findPassword(user.id);
    return password ? [toCredentialView(password)] : [];
  }

  async set(request: CredentialSetRequest): Promise<CredentialView> {
    assertMayAct(request.principal, request.account, 'updateUser', request.username);
    const user = await this.lookup.user(request.account, request.username);
    assertMayActOnUser(request.principal, user, 'updateUser');
    if (request.type !== CredentialType.Password) {
      throw new DomainError(ErrorCode.InvalidCredentialType, 'Invalid credential type');
    }
    const problem = passwordProblem(request.value);
    if (problem || request.value === undefined) {
      throw new DomainError(ErrorCode.ValidationFailed, problem ?? 'Invalid credential value, must be non-null and non-empty');
    }
    await this.assertProvedCurrentPassword(request.principal, user, request.currentPassword, request.address ?? UNKNOWN_ADDRESS);
    const saved = await this.users.setPassword(user.id, await this.hasher.hash(request.value));
    // A new password ends the user's console sessions; its API tokens stay unless asked otherwise.
    const kinds = request.revokeTokens === true ? [TokenKind.Session, TokenKind.Api] : [TokenKind.Session];
    const revoked = await this.tokens.revokeAllOf(user.id, kinds);
    await this.principalEvents.changed({ usernames: [user.username], ...(revoked.length > 0 ? { tokenIds: revoked } : {}) });
    return toCredentialView(saved);
  }

  /**
   * A token or session changing its own user's password must know the current one: whoever
   * steals a token must not turn it into the password, and with it every other way in. A Basic
   * caller proved the password with the request itself, as Anchore clients expect.
   */
  private async assertProvedCurrentPassword(
    principal: Principal,
    user: { id: string; username: string },
    currentPassword: string | undefined,
    address: string,
  ): Promise<void> {
    if (principal.tokenId === undefined || user.username !== principal.username) {
      return;
    }
    if (currentPassword === undefined || currentPassword === '') {
      throw new DomainError(
        ErrorCode.CurrentPasswordRequired,
        'Changing your own password with an API token or session needs currentPassword: your current password',
        { field: 'currentPassword' },
      );
    }
    // Guessing it through a token counts as guessing it at login.
    await this.throttle.assertAllowed(user.username, address);
    const stored = await this.users.findPassword(user.id);
    if (!(await this.hasher.verify(stored?.hash ?? null, currentPassword))) {
      await this.throttle.recordFailure(user.username, address);
      throw new DomainError(ErrorCode.CurrentPasswordIncorrect, 'currentPassword is not your current password', { field: 'currentPassword' });
    }
  }

  async delete(request: CredentialDeleteRequest): Promise<Record<string, never>> {
    assertMayAct(request.principal, request.account, 'updateUser', request.username);
    const user = await this.lookup.user(request.account, request.username);
    assertMayActOnUser(request.principal, user, 'updateUser');
    if (user.username === request.principal.username) {
      throw new DomainError(ErrorCode.SelfDeletion, 'Cannot delete credential of authenticated user');
    }
    await this.users.deletePassword(user.id);
    const sessions = await this.tokens.revokeAllOf(user.id, [TokenKind.Session]);
    await this.principalEvents.changed({ usernames: [user.username], ...(sessions.length > 0 ? { tokenIds: sessions } : {}) });
    return {};
  }
}
