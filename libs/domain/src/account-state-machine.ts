import { AccountState, AccountType } from './account';
import { DomainError, ErrorCode } from './errors';

/**
 * The only state changes an account may make, as in Anchore Engine:
 *   enabled <-> disabled, disabled -> deleting, and enabled or disabled to itself (a no-op).
 * `deleting` is terminal: no change is accepted, not even to `deleting` again (a second DELETE),
 * and the account leaves it only by being removed. The admin account never leaves `enabled`.
 */
export function assertAccountStateChange(account: { name: string; type: AccountType; state: AccountState }, desired: AccountState): void {
  const from = account.state;
  if (from === desired && from !== AccountState.Deleting) {
    return;
  }
  const allowed =
    (from === AccountState.Enabled && desired === AccountState.Disabled) ||
    (from === AccountState.Disabled && (desired === AccountState.Enabled || desired === AccountState.Deleting));
  if (!allowed) {
    throw new DomainError(ErrorCode.InvalidStateChange, `Invalid account state change requested. Cannot go from state ${from} to state ${desired}`);
  }
  if (account.type === AccountType.Admin || account.type === AccountType.Service) {
    throw new DomainError(ErrorCode.ProtectedAccount, 'Cannot disable the admin account');
  }
}
