import { useEffect, useState } from 'react';
import { type AccountView } from '../api/types';
import { fetchAll } from './use-list';

/**
 * For administrators and staff: the account whose projects, credentials and secrets the pages
 * show (the API's `x-anchore-account`). Only enabled accounts can be worked in.
 */
export function AccountSwitcher({ own, acting, onChange }: { own: string; acting: string; onChange: (account: string) => void }) {
  const [accounts, setAccounts] = useState<string[]>([own]);

  useEffect(() => {
    fetchAll<AccountView>('/v1/accounts', { state: 'enabled' })
      .then((items) => setAccounts([...new Set([own, acting, ...items.map((account) => account.name)])].sort()))
      .catch(() => setAccounts([...new Set([own, acting])]));
  }, [own, acting]);

  return (
    <div className="switcher">
      <label htmlFor="acting-account">Working in account</label>
      <select id="acting-account" value={acting} onChange={(event) => onChange(event.target.value)}>
        {accounts.map((account) => (
          <option key={account} value={account}>
            {account === own ? `${account} (yours)` : account}
          </option>
        ))}
      </select>
    </div>
  );
}
