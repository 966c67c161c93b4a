import { type SessionView } from './types';

// The session lives in sessionStorage only: it ends with the tab, is never shared with other
// tabs or written to disk as localStorage would be, and is never sent as a cookie.
const KEY = 'keyward.session';

function isSession(value: unknown): value is SessionView {
  const candidate = value as Partial<SessionView> | null;
  return typeof candidate?.token === 'string' && typeof candidate.username === 'string' && typeof candidate.account === 'string';
}

export function loadSession(): SessionView | null {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!isSession(parsed)) return null;
    if (parsed.expires_at && Date.parse(parsed.expires_at) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
}

export function saveSession(session: SessionView): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ACTING_KEY);
}

const ACTING_KEY = 'keyward.acting-account';

/** The account an administrator or staff member chose to work in, for this tab. */
export function loadActingAccount(): string | null {
  return sessionStorage.getItem(ACTING_KEY);
}

export function saveActingAccount(account: string | null): void {
  if (account === null) sessionStorage.removeItem(ACTING_KEY);
  else sessionStorage.setItem(ACTING_KEY, account);
}
