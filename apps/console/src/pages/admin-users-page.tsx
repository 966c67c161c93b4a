import { useState } from 'react';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import { type AdminUserView } from '../api/types';
import { Alert, SelectField, TextField } from '../components/fields';
import { ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { useDebounced } from '../components/use-debounced';
import { useList } from '../components/use-list';
import { AdminNav } from './admin-nav';

type Role = 'staff' | 'superuser';

function flagQuery(value: string): string | undefined {
  return value === '' ? undefined : value;
}

export function AdminUsersPage({ readOnly }: { readOnly: boolean }) {
  const [account, setAccount] = useState('');
  const [username, setUsername] = useState('');
  const [staff, setStaff] = useState('');
  const [superuser, setSuperuser] = useState('');
  const accountQuery = useDebounced(account.trim());
  const usernameQuery = useDebounced(username.trim());
  // Staff may read accounts, not the users of every account: the API refuses them this list.
  const list = useList<AdminUserView>(readOnly ? null : '/v1/admin/users', {
    account: accountQuery,
    username: usernameQuery,
    staff: flagQuery(staff),
    superuser: flagQuery(superuser),
  });
  const [overrides, setOverrides] = useState<Record<string, Partial<Record<Role, boolean>>>>({});
  const [pending, setPending] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ username: string; text: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const roleOf = (user: AdminUserView, role: Role): boolean => overrides[user.username]?.[role] ?? user[role];

  // The box shows the new state at once; a refusal puts it back and says why, on the user's row.
  const toggle = async (user: AdminUserView, role: Role, value: boolean) => {
    const before = { staff: roleOf(user, 'staff'), superuser: roleOf(user, 'superuser') };
    setOverrides((previous) => ({ ...previous, [user.username]: { ...before, [role]: value } }));
    setPending(`${user.username}:${role}`);
    setRowError(null);
    setNotice(null);
    try {
      const updated = await api.patch<AdminUserView>(`/v1/admin/users/${encodeURIComponent(user.username)}`, { [role]: value });
      setOverrides((previous) => ({ ...previous, [user.username]: { staff: updated.staff, superuser: updated.superuser } }));
      setNotice(
        `${user.username} is ${updated[role] ? 'now' : 'no longer'} ${role === 'staff' ? 'staff' : 'a superuser'}. It takes effect at their next request.`,
      );
    } catch (failure: unknown) {
      setOverrides((previous) => ({ ...previous, [user.username]: before }));
      setRowError({ username: user.username, text: describeError(failure) });
    } finally {
      setPending(null);
    }
  };

  return (
    <Page title="Admin">
      <AdminNav />
      <p className="lead">
        Users of every account and their roles. <strong>Staff</strong> may read every account's metadata, never a secret and never a change; a{' '}
        <strong>superuser</strong> may do everything an administrator may.
      </p>
      {readOnly && (
        <Alert tone="info" text="Only administrators and superusers see the users of every account and change roles. As staff, you can see the accounts." />
      )}
      {!readOnly && (
        <>
          <form className="filters" aria-label="Filter users" onSubmit={(event) => event.preventDefault()}>
            <TextField
              label="Account"
              id="filter-account"
              value={account}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setAccount(event.target.value)}
            />
            <TextField
              label="Username starts with"
              id="filter-username"
              value={username}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setUsername(event.target.value)}
            />
            <SelectField label="Staff" id="filter-staff" value={staff} onChange={(event) => setStaff(event.target.value)}>
              <option value="">Any</option>
              <option value="true">Staff</option>
              <option value="false">Not staff</option>
            </SelectField>
            <SelectField label="Superuser" id="filter-superuser" value={superuser} onChange={(event) => setSuperuser(event.target.value)}>
              <option value="">Any</option>
              <option value="true">Superuser</option>
              <option value="false">Not superuser</option>
            </SelectField>
          </form>
          <Alert text={notice} tone="success" />
          <ListTable
            list={list}
            caption="Users across accounts"
            columns={['Username', 'Account', 'Type', 'Staff', 'Superuser', 'Created']}
            empty="No user matches these filters."
            pagerLabel="Users"
          >
            {list.items.map((user) => (
              <tr key={user.username}>
                <th scope="row">
                  {user.username}
                  {rowError?.username === user.username && (
                    <span className="field-error block" role="alert">
                      {rowError.text}
                    </span>
                  )}
                </th>
                <td>{user.account}</td>
                <td>{user.type}</td>
                {(['staff', 'superuser'] as const).map((role) => (
                  <td key={role}>
                    <input
                      type="checkbox"
                      className="toggle"
                      aria-label={`${role === 'staff' ? 'Staff' : 'Superuser'}: ${user.username}`}
                      checked={roleOf(user, role)}
                      disabled={pending !== null}
                      aria-busy={pending === `${user.username}:${role}`}
                      onChange={(event) => void toggle(user, role, event.target.checked)}
                    />
                  </td>
                ))}
                <td>
                  <Time value={user.created_at} />
                </td>
              </tr>
            ))}
          </ListTable>
        </>
      )}
    </Page>
  );
}
