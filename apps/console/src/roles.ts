import { type SessionView } from './api/types';

/** Administrators: users of the admin (or service) account, and superusers. */
export function isAdministrator(session: SessionView): boolean {
  return session.accountType === 'admin' || session.accountType === 'service' || session.superuser;
}

/** Who sees the Admin section: administrators, and staff, who may only look. */
export function canSeeAdmin(session: SessionView): boolean {
  return isAdministrator(session) || session.staff;
}
