/** Cached principals matching any of these must be dropped at once. */
export interface PrincipalChangedEvent {
  account?: string;
  usernames?: string[];
  /** Revoked API tokens and sessions. */
  tokenIds?: string[];
}

export interface AccountDeletingEvent {
  accountId: string;
  account: string;
  requestedAt: string;
}

/** Written once the account record is gone: its name is free again. */
export interface AccountDeletedEvent {
  accountId: string;
  account: string;
  deletedAt: string;
}
