import { type ReactNode } from 'react';
import { type SessionView } from '../api/types';
import { Link, usePath } from '../router';
import { canSeeAdmin, isAdministrator } from '../roles';
import { AccountSwitcher } from './account-switcher';

const SECTIONS = [
  { to: '/credentials', label: 'Credentials' },
  { to: '/projects', label: 'Projects' },
  { to: '/secrets', label: 'Secrets' },
  { to: '/users', label: 'Users' },
  { to: '/tokens', label: 'Tokens' },
] as const;

export function Layout({
  session,
  acting,
  onActIn,
  onSignOut,
  children,
}: {
  session: SessionView;
  acting: string;
  onActIn: (account: string) => void;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const { pathname } = usePath();
  // Staff may look at the accounts, not at every account's users: their Admin opens on Accounts.
  const admin = { to: isAdministrator(session) ? '/admin' : '/admin/accounts', label: 'Admin' };
  const sections = canSeeAdmin(session) ? [...SECTIONS, admin] : SECTIONS;
  const isCurrent = (to: string) => pathname === to || pathname.startsWith(`${to}/`) || (to === admin.to && pathname.startsWith('/admin'));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/credentials" className="brand">
          Keyward
        </Link>
        <nav aria-label="Main">
          <ul>
            {sections.map((section) => (
              <li key={section.to}>
                <Link to={section.to} aria-current={isCurrent(section.to) ? 'page' : undefined}>
                  {section.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {canSeeAdmin(session) && <AccountSwitcher own={session.account} acting={acting} onChange={onActIn} />}
          <Link to="/account" aria-current={isCurrent('/account') ? 'page' : undefined} title="Your account and password">
            <span className="who-user">{session.username}</span>
            <span className="who-account">{session.account}</span>
          </Link>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {acting !== session.account && (
        <div className="acting-banner" role="status">
          <span>
            You are working in account <strong>{acting}</strong>
            {isAdministrator(session) ? '.' : ': as staff, you can look, not change.'}
          </span>
          <button type="button" className="secondary small" onClick={() => onActIn(session.account)}>
            Back to my account
          </button>
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
