import { useEffect, useState } from 'react';
import { api, type SessionEnd } from './api/client';
import { type SessionView } from './api/types';
import { Layout } from './components/layout';
import { AccountPage } from './pages/account-page';
import { AdminAccountsPage } from './pages/admin-accounts-page';
import { AdminAuditPage } from './pages/admin-audit-page';
import { AdminTokensPage } from './pages/admin-tokens-page';
import { AdminUsersPage } from './pages/admin-users-page';
import { CredentialPage } from './pages/credential-page';
import { CredentialsPage } from './pages/credentials-page';
import { NewCredentialPage } from './pages/new-credential-page';
import { NotFoundPage } from './pages/not-found-page';
import { ProjectsPage } from './pages/projects-page';
import { SecretsPage } from './pages/secrets-page';
import { SignInPage } from './pages/sign-in-page';
import { TokensPage } from './pages/tokens-page';
import { UsersPage } from './pages/users-page';
import { canSeeAdmin, isAdministrator } from './roles';
import { navigate, usePath } from './router';

const END_NOTICES: Record<SessionEnd, string | null> = {
  'signed-out': 'You are signed out.',
  ended: 'Your session has ended — sign in again.',
  disabled: 'Your account is disabled: ask an administrator to enable it.',
  'password-changed': 'Your password is changed — sign in again with the new one.',
};

function Routes({ session, acting }: { session: SessionView; acting: string }) {
  const { pathname } = usePath();
  // Staff may read another account's resources, never change them.
  const readOnly = acting !== session.account && !isAdministrator(session);
  switch (pathname) {
    case '/':
    case '/credentials':
      return <CredentialsPage readOnly={readOnly} />;
    case '/credentials/new':
      return readOnly ? <CredentialsPage readOnly /> : <NewCredentialPage />;
    case '/projects':
      return <ProjectsPage readOnly={readOnly} />;
    case '/secrets':
      return <SecretsPage readOnly={readOnly} />;
    case '/users':
      return <UsersPage session={session} account={acting} readOnly={readOnly} />;
    case '/tokens':
      return <TokensPage />;
    case '/account':
      return <AccountPage session={session} />;
    case '/admin':
      return canSeeAdmin(session) ? <AdminUsersPage readOnly={!isAdministrator(session)} /> : <NotFoundPage />;
    case '/admin/audit':
      return canSeeAdmin(session) ? <AdminAuditPage /> : <NotFoundPage />;
    case '/admin/tokens':
      return canSeeAdmin(session) ? <AdminTokensPage readOnly={!isAdministrator(session)} /> : <NotFoundPage />;
    case '/admin/accounts':
      return canSeeAdmin(session) ? <AdminAccountsPage readOnly={!isAdministrator(session)} /> : <NotFoundPage />;
    default:
      if (pathname.startsWith('/credentials/')) return <CredentialPage id={decodeURIComponent(pathname.slice('/credentials/'.length))} canExport={!readOnly} />;
      return <NotFoundPage />;
  }
}

export function App() {
  const [session, setSession] = useState<SessionView | null>(api.current);
  const [acting, setActing] = useState<string | null>(api.actingAccount);
  const [notice, setNotice] = useState<string | null>(null);
  const { pathname, search } = usePath();

  useEffect(
    () =>
      api.onSessionEnd((reason) => {
        setSession(null);
        setNotice(END_NOTICES[reason]);
      }),
    [],
  );

  // Signed out, every page is the sign-in page; it remembers where the person was going.
  useEffect(() => {
    if (!session && pathname !== '/sign-in') {
      const next = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname)}`;
      navigate(`/sign-in${next}`, { replace: true });
    } else if (session && pathname === '/sign-in') {
      navigate('/credentials', { replace: true });
    }
  }, [session, pathname]);

  if (!session) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(signedIn) => {
          const next = search.get('next');
          setNotice(null);
          setSession(signedIn);
          setActing(api.actingAccount);
          navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/credentials', { replace: true });
        }}
      />
    );
  }
  return (
    <Layout
      session={session}
      acting={acting ?? session.account}
      onActIn={(account) => {
        api.actIn(account);
        setActing(api.actingAccount);
      }}
      onSignOut={() => void api.signOut()}
    >
      {/* A new account remounts the pages, so nothing of the previous one stays on screen. */}
      <Routes key={acting ?? session.account} session={session} acting={acting ?? session.account} />
    </Layout>
  );
}
