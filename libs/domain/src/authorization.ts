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
  throw new DomainError(
    ErrorCode.Forbidden,
    `Not authorized. Requires permissions: domain=${domain} action=${action} target=${target}`,
  );
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
