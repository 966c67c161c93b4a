import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type AccountCreateRequest,
  type AccountIdRef,
  type AccountListDeletingRequest,
  type AccountRemovedView,
  type DeletingAccountView,
  type AccountDeletingEvent,
  type AccountListRequest,
  type AccountRef,
  type AccountScopeView,
  type AccountStateView,
  type AccountStatusView,
  type AccountUpdateStateRequest,
  type AccountView,
  IdentityEvents,
  MAX_PAGE_SIZE,
  type Page,
} from '@keyward/contracts';
import {
  AccountState,
  AccountType,
  assertAccountStateChange,
  assertMayAct,
  DomainError,
  ErrorCode,
  GLOBAL_DOMAIN,
  isValidName,
  NAME_RULE,
  RESERVED_ACCOUNT_NAMES,
} from '@keyward/domain';
import { isUniqueViolation } from '@keyward/nest-common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, systemAuditRecord } from '../audit/audit.service';
import { PrincipalEvents } from '../events/principal-events';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { OutboxRepository } from '../outbox/outbox.repository';
import { UserRepository } from '../users/user.repository';
import { type AccountEntity } from './account.entity';
import { toAccountStatusView, toAccountView } from './account.mapper';
import { AccountRepository } from './account.repository';

export function accountNotFound(): DomainError {
  return new DomainError(ErrorCode.AccountNotFound, 'Account not found');
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountRepository,
    private readonly users: UserRepository,
    private readonly outbox: OutboxRepository,
    private readonly principalEvents: PrincipalEvents,
    private readonly relay: OutboxRelayService,
    private readonly audit: AuditService,
  ) {}

  async list(request: AccountListRequest): Promise<Page<AccountView>> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'listAccounts');
    const [items, total] = await this.accounts.listVisible(request.state, request.page.limit ?? MAX_PAGE_SIZE, request.page.offset ?? 0);
    return { items: items.map(toAccountView), total };
  }

  async create(request: AccountCreateRequest): Promise<AccountView> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'createAccount');
    const { name } = request;
    if (!name) {
      throw new DomainError(ErrorCode.BadRequest, 'Invalid account request: "name" is required');
    }
    if (RESERVED_ACCOUNT_NAMES.includes(name)) {
      throw new DomainError(ErrorCode.ReservedName, `Invalid account request: Cannot use name ${name}`);
    }
    if (request.type !== undefined && request.type !== AccountType.User) {
      throw new DomainError(ErrorCode.BadRequest, `Invalid account request: Account type must be "user", found: ${request.type}`);
    }
    if (!isValidName(name)) {
      throw new DomainError(ErrorCode.ValidationFailed, `Validation failed: Account name must be ${NAME_RULE}`);
    }
    try {
      const account = await this.accounts.insert({ name, email: request.email ?? null, type: AccountType.User });
      return toAccountView(account);
    } catch (error: unknown) {
      if (isUniqueViolation(error, 'accounts_name_unique')) {
        throw new DomainError(ErrorCode.AccountAlreadyExists, 'Account already exists');
      }
      throw error;
    }
  }

  async get(request: AccountRef): Promise<AccountView> {
    assertMayAct(request.principal, request.account, 'getAccount');
    const account = await this.accounts.findVisibleByName(request.account);
    if (!account) {
      throw accountNotFound();
    }
    return toAccountView(account);
  }

  /** The account's id, for services that key their data by it. Same authorization as `get`. */
  async resolve(request: AccountRef): Promise<AccountScopeView> {
    assertMayAct(request.principal, request.account, 'getAccount');
    const account = await this.accounts.findVisibleByName(request.account);
    if (!account) {
      throw accountNotFound();
    }
    return { id: account.id, name: account.name };
  }

  async updateState(request: AccountUpdateStateRequest): Promise<AccountStatusView> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'updateAccount', request.account);
    const { account, changed } = await this.dataSource.transaction(async (manager) => {
      const found = await this.lockAccount(request.account, manager);
      assertAccountStateChange(found, request.state);
      if (found.state === request.state) {
        return { account: found, changed: false };
      }
      return { account: await this.accounts.setState(found, request.state, manager), changed: true };
    });
    if (changed) {
      await this.principalEvents.changed({ account: account.name });
    }
    return toAccountStatusView(account);
  }

  /**
   * Anchore's deletion: the account must be disabled. In one transaction its users and their
   * passwords go, the account moves to `deleting`, and an outbox row records the deletion so the
   * reaper cannot miss it. The account row itself goes once the reaper has purged everything.
   */
  async delete(request: AccountRef): Promise<AccountStatusView> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'deleteAccount', request.account);
    const { account, usernames } = await this.dataSource.transaction(async (manager) => {
      const found = await this.lockAccount(request.account, manager);
      if (found.type !== AccountType.User) {
        throw new DomainError(ErrorCode.ProtectedAccount, 'Account cannot be deleted');
      }
      assertAccountStateChange(found, AccountState.Deleting);
      const removed = await this.users.deleteAllOfAccount(found.id, manager);
      const updated = await this.accounts.setState(found, AccountState.Deleting, manager);
      const event: AccountDeletingEvent = { accountId: found.id, account: found.name, requestedAt: new Date().toISOString() };
      await this.outbox.add(IdentityEvents.accountDeleting, { ...event }, manager);
      return { account: updated, usernames: removed };
    });
    if (usernames.length > 0) {
      await this.principalEvents.changed({ account: account.name, usernames });
    }
    this.relay.kick();
    return toAccountStatusView(account);
  }

  /** An account's state by id, for the services that write into accounts (and the reaper's purge). */
  async stateOf(request: AccountIdRef): Promise<AccountStateView> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'getAccount');
    const account = await this.accounts.findById(request.accountId);
    if (!account) {
      throw accountNotFound();
    }
    return { id: account.id, name: account.name, state: account.state };
  }

  /** Accounts waiting to be reaped, oldest first. */
  async listDeleting(request: AccountListDeletingRequest): Promise<DeletingAccountView[]> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'listAccounts');
    const [accounts] = await this.accounts.listVisible(AccountState.Deleting, request.limit ?? MAX_PAGE_SIZE, 0);
    return accounts.map((account) => ({ accountId: account.id, name: account.name }));
  }

  /**
   * The last step of a deletion, once the reaper has purged everything else: the record goes and
   * its name is free. Idempotent: an account already gone answers `removed: false`.
   */
  async remove(request: AccountIdRef): Promise<AccountRemovedView> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'deleteAccount');
    const removed = await this.dataSource.transaction(async (manager) => {
      const account = await this.accounts.findByIdForUpdate(request.accountId, manager);
      if (!account) {
        return false;
      }
      if (account.state !== AccountState.Deleting) {
        throw new DomainError(ErrorCode.InvalidStateChange, `Account ${account.name} is ${account.state}, not deleting: it cannot be removed`);
      }
      await this.accounts.remove(account.id, manager);
      await this.audit.appendWith(manager, [
        systemAuditRecord(
          'reaper',
          'account.remove',
          { type: 'account', id: account.name, account: account.name },
          { name: account.name, state: account.state },
        ),
      ]);
      await this.outbox.add(IdentityEvents.accountDeleted, { accountId: account.id, account: account.name, deletedAt: new Date().toISOString() }, manager);
      return true;
    });
    this.relay.kick();
    return { removed };
  }

  private async lockAccount(name: string, manager: EntityManager): Promise<AccountEntity> {
    const account = await this.accounts.findVisibleByNameForUpdate(name, manager);
    if (!account) {
      throw accountNotFound();
    }
    return account;
  }
}
