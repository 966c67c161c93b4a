import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@keyward/domain';
import { type AccountEntity } from '../accounts/account.entity';
import { AccountRepository } from '../accounts/account.repository';
import { type UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

/** Resolves the account and user named in a request, with Anchore's not-found answers. */
@Injectable()
export class AccountLookup {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly users: UserRepository,
  ) {}

  async account(name: string): Promise<AccountEntity> {
    const account = await this.accounts.findVisibleByName(name);
    if (!account) {
      throw new DomainError(ErrorCode.AccountNotFound, 'Account not found');
    }
    return account;
  }

  /** An unknown account and an unknown user read the same: "User not found". */
  async user(accountName: string, username: string): Promise<UserEntity> {
    const account = await this.accounts.findVisibleByName(accountName);
    const user = account ? await this.users.findInAccount(account.id, username) : null;
    if (!user) {
      throw new DomainError(ErrorCode.UserNotFound, 'User not found');
    }
    return user;
  }
}
