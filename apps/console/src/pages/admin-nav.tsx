import { Link, usePath } from '../router';

export function AdminNav() {
  const { pathname } = usePath();
  return (
    <nav aria-label="Admin" className="subnav">
      <Link to="/admin" aria-current={pathname === '/admin' ? 'page' : undefined}>
        Users
      </Link>
      <Link to="/admin/accounts" aria-current={pathname === '/admin/accounts' ? 'page' : undefined}>
        Accounts
      </Link>
      <Link to="/admin/tokens" aria-current={pathname === '/admin/tokens' ? 'page' : undefined}>
        Tokens
      </Link>
      <Link to="/admin/audit" aria-current={pathname === '/admin/audit' ? 'page' : undefined}>
        Audit log
      </Link>
    </nav>
  );
}
