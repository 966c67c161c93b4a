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
