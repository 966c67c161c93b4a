/** Who made a change: a user (with the token or session the request carried), or a part of Keyward itself. */
export interface AuditActorView {
  username?: string;
  account?: string;
  tokenId?: string;
  tokenKind?: 'api' | 'session';
  /** A Keyward process acting on its own: `reaper`, `manage` (the management command), `rotate-keys`. */
  system?: string;
}

/** What a change was made to: its type, its id or name, and the account it belongs to. */
export interface AuditResourceView {
  type: string;
  id?: string;
  account?: string;
}

export interface AuditResultView {
  outcome: 'success' | 'failure';
  /** The HTTP status the caller got, for a change made through the gateway. */
  status?: number;
  /** The error code of a failure (FORBIDDEN, CONFLICT, ...). */
  code?: string;
}

/** A stored record: its place in the chain and the hash that links it to the one before. */
export interface AuditRecordView {
  seq: number;
  id: string;
  at: string;
  actor: AuditActorView;
  address: string | null;
  requestId: string | null;
  action: string;
  resource: AuditResourceView;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  result: AuditResultView;
  hash: string;
}
