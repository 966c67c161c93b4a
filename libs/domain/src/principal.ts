import { type AccountState, type AccountType } from './account';

/** Who is calling: carried by every request on the bus, so each service can authorize again. */
export interface Principal {
  username: string;
  accountId: string;
  accountName: string;
  accountType: AccountType;
  accountState: AccountState;
  /** May do everything an admin-account user may. */
  superuser?: boolean;
  /** May read all metadata, in every account; never secret values, never a change. */
  staff?: boolean;
  /** Set when the request authenticated with an API token: which one. */
  tokenId?: string;
  /** A read-only token: reads only, whatever the user may do. */
  readOnly?: boolean;
  /** The kind of token the request authenticated with: an API token or a console session. */
  tokenKind?: 'api' | 'session';
  /** When that token expires (RFC 3339): nothing may trust the principal past it. */
  tokenExpiresAt?: string;
}

/**
 * How Keyward's own services identify themselves to each other on the bus (the hidden system
 * account). Only services allowed to publish on a subject by NATS permissions can send it, so the
 * permissions of the bus, not this value, are the trust boundary between services.
 */
export const SYSTEM_PRINCIPAL: Principal = {
  username: 'keyward-system',
  accountId: '00000000-0000-0000-0000-000000000000',
  accountName: 'keyward-system',
  accountType: 'service' as AccountType,
  accountState: 'enabled' as AccountState,
};
