import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MAX_PAGE_SIZE, type Page, type UserCreateRequest, type UserListRequest, type UserRef, type UserView } from '@keyward/contracts';
import {
  AccountState,
  AccountType,
  assertMayAct,
  assertMayActOnUser,
  DELETE_PROTECTED_USERNAMES,
  DomainError,
  ErrorCode,
  isValidName,
  NAME_RULE,
  passwordProblem,
} from '@keyward/domain';
import { isUniqueViolation } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { PasswordHasher } from '../auth/password-hasher';
import { PrincipalEvents } from '../events/principal-events';
import { AccountLookup } from './account-lookup';
import { toUserView } from './user.mapper';
import { UserRepository } from './user.repository';

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookup: AccountLookup,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly principalEvents: PrincipalEvents,
  ) {}

  async list(request: UserListRequest): Promise<Page<UserView>> {
    assertMayAct(request.principal, request.account, 'listUsers');
    const page = await this.users.pageByAccountName(request.account, request.page.limit ?? MAX_PAGE_SIZE, request.page.offset ?? 0);
    if (!page) {
      throw new DomainError(ErrorCode.AccountNotFound, 'Account not found');
    }
    return page;
  }

  async create(request: UserCreateRequest): Promise<UserView> {
    assertMayAct(request.principal, request.account, 'createUser');
    await this.lookup.account(request.account);
    if (!isValidName(request.username)) {
      throw new DomainError(ErrorCode.ValidationFailed, `Validation failed: username must be ${NAME_RULE}`);
    }
    const problem = passwordProblem(request.password);
    if (problem) {
      throw new DomainError(ErrorCode.ValidationFailed, `Validation failed: ${problem}`);
    }
    const hash = await this.hasher.hash(request.password);
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        // A share lock: a concurrent delete of the account waits for this user, or this insert sees `deleting`.
        const account = await manager.getRepository(AccountEntity).findOne({
          where: { name: request.account },
          lock: { mode: 'pessimistic_read' },
        });
        if (!account || account.type === AccountType.Service) {
          throw new DomainError(ErrorCode.AccountNotFound, 'Account not found');
        }
        if (account.state === AccountState.Deleting) {
          throw new DomainError(ErrorCode.BadRequest, `Account ${account.name} is being deleted`);
        }
        return this.users.insertWithPassword(account.id, request.username, hash, manager);
      });
      return toUserView(user);
    } catch (error: unknown) {
      if (isUniqueViolation(error, 'users_username_unique')) {
        throw new DomainError(ErrorCode.UserAlreadyExists, 'User already exists');
      }
      throw error;
    }
  }

  async get(request: UserRef): Promise<UserView> {
    assertMayAct(request.principal, request.account, 'getUser', request.username);
    return toUserView(await this.lookup.user(request.account, request.username));
  }

  async delete(request: UserRef): Promise<Record<string, never>> {
    assertMayAct(request.principal, request.account, 'deleteUser', request.username);
    const user = await this.lookup.user(request.account, request.username);
    assertMayActOnUser(request.principal, user, 'deleteUser');
    if (DELETE_PROTECTED_USERNAMES.includes(user.username)) {
      throw new DomainError(ErrorCode.ProtectedUser, 'User not allowed to be deleted due to system constraints');
    }
    if (user.username === request.principal.username) {
      throw new DomainError(ErrorCode.SelfDeletion, 'Cannot delete credential used for authentication of the request');
    }
    await this.users.delete(user.id);
    await this.principalEvents.changed({ usernames: [user.username] });
    return {};
  }
}
