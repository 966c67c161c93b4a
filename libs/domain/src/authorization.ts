import { AccountState, AccountType } from './account';
import { DomainError, ErrorCode } from './errors';
import { type Principal } from './principal';

/** The resource domain of operations that span accounts (listing, creating, disabling, deleting accounts). */
export const GLOBAL_DOMAIN = 'system';

export function isAdministrator(principal: Principal): boolean {
  return principal.accountType === AccountType.Admin || principal.accountType === AccountType.Service || principal.superuser === true;
}

/** Reading metadata: what staff may do in any account. Exports of secret material are not reads. */
export function isReadAction(action: string): boolean {
  return action.startsWith('get') || action.startsWith('list');
}

/** A disabled or deleting account's users may do nothing at all. */
export function assertPrincipalEnabled(principal: Principal): void {
  if (principal.accountState !== AccountState.Enabled) {
    throw new DomainError(ErrorCode.AccountNotEnabled, `Not authorized. Account ${principal.accountName} not enabled.`);
  }
}

/**
 * A change asked in an account that is not enabled: 400 to an administrator (the account's state
 * is what to fix first), 403 to the account's own users, as for any refusal.
 */
export function accountNotWritable(principal: Principal, account: { name: string; state: AccountState }): DomainError {
  const why = account.state === AccountState.Deleting ? 'is being deleted' : `is ${account.state}: enable it first`;
  return new DomainError(ErrorCode.AccountNotEnabled, `Account ${account.name} ${why}; nothing can be created or changed in it`, {
    status: isAdministrator(principal) ? 400 : 403,
  });
}

/** A read-only token reads; every other action is refused, whatever its user may do. */
export function assertWritable(principal: Principal, action: string): void {
  if (principal.readOnly === true && !isReadAction(action)) {
    throw new DomainError(ErrorCode.ReadOnlyToken, `Not authorized. The API token is read-only: ${action} is not a read.`);
  }
}

/**
 * Deny by default: administrators act anywhere; anyone else acts only in its own account.
 * `domain` is an account name or GLOBAL_DOMAIN. The answer never depends on whether the
 * account exists, so a refusal reveals nothing.
 */
export function assertMayAct(principal: Principal, domain: string, action: string, target = '*'): void {
  assertPrincipalEnabled(principal);
  assertWritable(principal, action);
  if (isAdministrator(principal) || (domain !== GLOBAL_DOMAIN && domain === principal.accountName)) {
    return;
  }
  if (principal.staff === true && isReadAction(action)) {
    return;
  }
  throw new DomainError(ErrorCode.Forbidden, `Not authorized. Requires permissions: domain=${domain} action=${action} target=${target}`);
}

/**
 * `assertMayAct` for data keyed by account id: besides the name check, a non-administrator's
 * resolved account must be its own account, not one that merely carries the same name.
 */
export function assertMayActInAccount(principal: Principal, account: { id: string; name: string }, action: string): void {
  assertMayAct(principal, account.name, action);
  const staffReading = principal.staff === true && isReadAction(action);
  if (!isAdministrator(principal) && !staffReading && account.id !== principal.accountId) {
    throw new DomainError(ErrorCode.Forbidden, `Not authorized. Requires permissions: domain=${account.name} action=${action} target=*`);
  }
}

/** The roles a user holds, as far as acting on it is concerned. */
export interface UserRoles {
  username: string;
  staff: boolean;
  superuser: boolean;
}

/**
 * Acting on another user (its password, deleting it, its tokens) needs every privilege the
 * target holds, so no one climbs by taking over a better-placed user of its own account:
 * superusers are acted on only by superusers and admin-account users, staff only by staff or
 * administrators. Acting on oneself is always allowed here; the route decides what proof it asks.
 */
export function assertMayActOnUser(principal: Principal, target: UserRoles, action: string): void {
  if (target.username === principal.username) {
    return;
  }
  const administrator = isAdministrator(principal);
  const missing = target.superuser && !administrator ? 'superuser' : target.staff && !administrator && principal.staff !== true ? 'staff' : undefined;
  if (missing) {
    throw new DomainError(ErrorCode.Forbidden, `Not authorized. ${action} on user ${target.username} requires the ${missing} role that user holds`);
  }
}
