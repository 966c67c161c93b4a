import { ApiError } from './errors';
import { type AccountType, type SessionView } from './types';

// TEMPORARY, until POST /v1/session is on main: a gateway without it answers 404, and the
// console then signs every call with Basic credentials held in memory only (never stored), so
// it can be developed against today's gateway. Removed once sessions land.
export async function preSessionFallback(authorization: string, username: string): Promise<SessionView> {
  const headers = { Authorization: authorization, Accept: 'application/json' };
  const response = await fetch('/v1/account', { headers, credentials: 'omit' });
  if (!response.ok) throw new ApiError(response.status, 'Unauthorized', [response.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN']);
  const account = (await response.json()) as { name: string; type: AccountType };
  let roles = { staff: false, superuser: false };
  const users = await fetch(`/v1/admin/users?username=${encodeURIComponent(username)}`, { headers, credentials: 'omit' });
  if (users.ok) {
    const found = ((await users.json()) as { username: string; staff: boolean; superuser: boolean }[]).find((user) => user.username === username);
    if (found) roles = { staff: found.staff, superuser: found.superuser };
  }
  return { token: '', expires_at: '', username, account: account.name, accountType: account.type, ...roles };
}
