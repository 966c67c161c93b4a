import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CredentialType, UserType } from '@keyward/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { PasswordCredentialEntity } from './password-credential.entity';
import { UserEntity } from './user.entity';

export interface UserLogin {
  user: UserEntity & { account: NonNullable<UserEntity['account']> };
  passwordHash: string | null;
}

@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private users(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(UserEntity);
  }

  private passwords(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(PasswordCredentialEntity);
  }

  findInAccount(accountId: string, username: string): Promise<UserEntity | null> {
    return this.users().findOneBy({ accountId, username });
  }

  existsByUsername(username: string, manager?: EntityManager): Promise<boolean> {
    return this.users(manager).existsBy({ username });
  }

  /** Everything needed to authenticate a username, in one query. */
  async findLogin(username: string): Promise<UserLogin | null> {
    const user = await this.users().findOne({ where: { username }, relations: { account: true } });
    if (!user?.account) {
      return null;
    }
    const password = await this.passwords().findOneBy({ userId: user.id });
    return { user: user as UserLogin['user'], passwordHash: password?.hash ?? null };
  }

  listByAccount(accountId: string, limit: number, offset: number): Promise<[UserEntity[], number]> {
    return this.users().findAndCount({
      where: { accountId },
      order: { createdAt: 'ASC', username: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  async insertWithPassword(accountId: string, username: string, hash: string, manager: EntityManager): Promise<UserEntity> {
    const users = this.users(manager);
    const user = await users.save(users.create({ accountId, username, type: UserType.Native, source: null }));
    await this.passwords(manager).insert({ userId: user.id, type: CredentialType.Password, hash });
    return user;
  }

  async delete(userId: string): Promise<void> {
    await this.users().delete({ id: userId });
  }

  /** Removes every user of an account; their passwords go with them (ON DELETE CASCADE). */
  async deleteAllOfAccount(accountId: string, manager: EntityManager): Promise<string[]> {
    const rows = await this.users(manager).find({ where: { accountId }, select: { username: true } });
    await this.users(manager).delete({ accountId });
    return rows.map((row) => row.username);
  }

  findPassword(userId: string): Promise<PasswordCredentialEntity | null> {
    return this.passwords().findOneBy({ userId });
  }

  /** Replaces the user's password; `created_at` is the time of the change. */
  async setPassword(userId: string, hash: string): Promise<PasswordCredentialEntity> {
    return this.dataSource.transaction(async (manager) => {
      await this.passwords(manager).delete({ userId });
      const passwords = this.passwords(manager);
      return passwords.save(passwords.create({ userId, type: CredentialType.Password, hash }));
    });
  }

  async deletePassword(userId: string): Promise<boolean> {
    const result = await this.passwords().delete({ userId });
    return (result.affected ?? 0) > 0;
  }
}
