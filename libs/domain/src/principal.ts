import { type AccountState, type AccountType } from './account';

/** Who is calling: carried by every request on the bus, so each service can authorize again. */
export interface Principal {
  username: string;
  accountId: string;
  accountName: string;
  accountType: AccountType;
  accountState: AccountState;
}
