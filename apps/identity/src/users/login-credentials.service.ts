import { Injectable } from '@nestjs/common';
import { type CredentialDeleteRequest, type CredentialSetRequest, type CredentialView, type UserRef } from '@keyward/contracts';
import { assertMayAct, CredentialType, DomainError, ErrorCode, passwordProblem } from '@keyward/domain';
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
    if (request.type !== CredentialType.Password) {
      throw new DomainError(ErrorCode.InvalidCredentialType, 'Invalid credential type');
    }
    const problem = passwordProblem(request.value);
    if (problem || request.value === undefined) {
      throw new DomainError(ErrorCode.ValidationFailed, problem ?? 'Invalid credential value, must be non-null and non-empty');
    }
    const saved = await this.users.setPassword(user.id, await this.hasher.hash(request.value));
    // A new password ends the user's console sessions; its API tokens stay (revoke them one by one).
    const sessions = await this.tokens.revokeSessionsOf(user.id);
    await this.principalEvents.changed({ usernames: [user.username], ...(sessions.length > 0 ? { tokenIds: sessions } : {}) });
    return toCredentialView(saved);
  }

  async delete(request: CredentialDeleteRequest): Promise<Record<string, never>> {
    assertMayAct(request.principal, request.account, 'updateUser', request.username);
    const user = await this.lookup.user(request.account, request.username);
    if (user.username === request.principal.username) {
      throw new DomainError(ErrorCode.SelfDeletion, 'Cannot delete credential of authenticated user');
    }
    await this.users.deletePassword(user.id);
    const sessions = await this.tokens.revokeSessionsOf(user.id);
    await this.principalEvents.changed({ usernames: [user.username], ...(sessions.length > 0 ? { tokenIds: sessions } : {}) });
    return {};
  }
}
