import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { type AccountState, type AccountView } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { CreatePanel } from '../components/create-panel';
import { Alert, SelectField, TextField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { useList } from '../components/use-list';
import { useFormErrors } from '../components/use-form-errors';
import { AdminNav } from './admin-nav';

const FORM = 'new-account';
const POLL_MS = 1500;

/** "400 credentials, 1 project and 0 secrets left", or what the reaper has not told yet. */
export function describeRemaining(remaining: Record<string, number> | null | undefined): string {
  if (!remaining) return 'Waiting for the reaper to start…';
  const parts = Object.entries(remaining).map(([kind, count]) => `${count} ${count === 1 ? kind.replace(/s$/, '') : kind}`);
  if (parts.length === 0) return 'Almost done…';
  const last = parts.pop();
  return `${parts.length ? `${parts.join(', ')} and ${last}` : last} left`;
}

function StateBadge({ state }: { state: AccountState }) {
  return <span className={`badge badge-${state}`}>{state === 'enabled' ? 'Enabled' : state === 'disabled' ? 'Disabled' : 'Deleting'}</span>;
}

export function AdminAccountsPage({ readOnly }: { readOnly: boolean }) {
  const [stateFilter, setStateFilter] = useState('');
  const list = useList<AccountView>('/v1/accounts', { state: stateFilter });
  const [progress, setProgress] = useState<Record<string, AccountView['remaining'] | 'gone'>>({});
  const [rowError, setRowError] = useState<{ name: string; text: string } | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirmDialog();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, fail, clear } = useFormErrors(FORM);

  const deleting = list.items.filter((account) => account.state === 'deleting' && progress[account.name] !== 'gone').map((account) => account.name);
  const deletingKey = deleting.join('\n');

  // While an account is being reaped, ask for its progress until it is gone (404).
  useEffect(() => {
    if (deletingKey === '') return;
    const names = deletingKey.split('\n');
    let stopped = false;
    const poll = async () => {
      for (const account of names) {
        try {
          const view = (await api.get<AccountView>(`/v1/accounts/${encodeURIComponent(account)}`)).data;
          if (!stopped) setProgress((previous) => ({ ...previous, [account]: view.remaining ?? null }));
        } catch (failure: unknown) {
          if (!stopped && failure instanceof ApiError && failure.status === 404) {
            setProgress((previous) => ({ ...previous, [account]: 'gone' }));
            setNotice(`Account ${account} is deleted: its name is free again.`);
          }
        }
      }
    };
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [deletingKey]);

  const setState = async (account: AccountView, state: 'enabled' | 'disabled') => {
    setPending(account.name);
    setRowError(null);
    setNotice(null);
    try {
      await api.put(`/v1/accounts/${encodeURIComponent(account.name)}/state`, { state });
      setNotice(`Account ${account.name} ${state === 'enabled' ? 'enabled' : 'disabled: its users are refused from their next request on'}.`);
      list.reload();
    } catch (failure: unknown) {
      setRowError({ name: account.name, text: describeError(failure) });
    } finally {
      setPending(null);
    }
  };

  const askDelete = (account: AccountView) =>
    ask({
      title: `Delete account ${account.name}?`,
      body: (
        <p>
          Its users can no longer sign in, and every project, credential and secret it owns is removed in the background. An account must be disabled before it
          can be deleted.
        </p>
      ),
      confirmLabel: 'Delete account',
      action: async () => {
        await api.delete(`/v1/accounts/${encodeURIComponent(account.name)}`);
        setNotice(`Account ${account.name} is being deleted.`);
        list.reload();
      },
    });

  const create = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    setNotice(null);
    setBusy(true);
    try {
      const created = await api.post<AccountView>('/v1/accounts', { name, ...(email ? { email } : {}) });
      setNotice(`Account ${created.name} created.`);
      setName('');
      setEmail('');
      list.reload();
    } catch (failure: unknown) {
      fail(failure, ['name', 'email']);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Admin">
      <AdminNav />
      <p className="lead">
        Accounts and their state. An account is disabled before it is deleted; deleting removes its users at once and its data in the background.
      </p>
      {!readOnly && (
        <CreatePanel form={FORM} title="New account" submitLabel="Create account" busy={busy} error={errors.form} onSubmit={create}>
          <TextField
            label="Name"
            id={`${FORM}-name`}
            value={name}
            autoComplete="off"
            spellCheck={false}
            error={errors.fields['name']}
            onChange={(event) => setName(event.target.value)}
          />
          <TextField
            label="Email (optional)"
            id={`${FORM}-email`}
            type="email"
            value={email}
            error={errors.fields['email']}
            onChange={(event) => setEmail(event.target.value)}
          />
        </CreatePanel>
      )}
      <form className="filters" aria-label="Filter accounts" onSubmit={(event) => event.preventDefault()}>
        <SelectField label="State" id="filter-state" value={stateFilter} onChange={(event) => setStateFilter(event.target.value)}>
          <option value="">Any state</option>
          <option value="enabled">Enabled</option>
          <option value="disabled">Disabled</option>
          <option value="deleting">Deleting</option>
        </SelectField>
      </form>
      <Alert text={notice} tone="success" />
      <ListTable
        list={list}
        caption="Accounts"
        columns={['Account', 'Email', 'Type', 'State', 'Created']}
        actions={!readOnly}
        empty="No account in this state."
        pagerLabel="Accounts"
      >
        {list.items.map((account) => {
          const reaped = progress[account.name];
          return (
            <tr key={account.name} className={reaped === 'gone' ? 'gone' : undefined}>
              <th scope="row">
                {account.name}
                {rowError?.name === account.name && (
                  <span className="field-error block" role="alert">
                    {rowError.text}
                  </span>
                )}
              </th>
              <td>{account.email ?? ''}</td>
              <td>{account.type}</td>
              <td>
                {reaped === 'gone' ? (
                  <span className="badge">Deleted</span>
                ) : (
                  <>
                    <StateBadge state={account.state} />
                    {account.state === 'deleting' && (
                      <span className="muted block" role="status">
                        {describeRemaining(reaped === undefined ? account.remaining : reaped)}
                      </span>
                    )}
                  </>
                )}
              </td>
              <td>
                <Time value={account.created_at} />
              </td>
              {!readOnly && (
                <td className="row-actions">
                  {/* The admin and service accounts can be neither disabled nor deleted. */}
                  {account.type === 'user' && account.state === 'enabled' && (
                    <button
                      type="button"
                      className="secondary small"
                      disabled={pending !== null}
                      onClick={() => void setState(account, 'disabled')}
                      aria-label={`Disable account ${account.name}`}
                    >
                      Disable
                    </button>
                  )}
                  {account.type === 'user' && account.state === 'disabled' && (
                    <button
                      type="button"
                      className="secondary small"
                      disabled={pending !== null}
                      onClick={() => void setState(account, 'enabled')}
                      aria-label={`Enable account ${account.name}`}
                    >
                      Enable
                    </button>
                  )}
                  {account.type === 'user' && account.state !== 'deleting' && (
                    <DangerButton label={`Delete account ${account.name}`} onClick={() => askDelete(account)}>
                      Delete
                    </DangerButton>
                  )}
                </td>
              )}
            </tr>
          );
        })}
      </ListTable>
      {dialog}
    </Page>
  );
}
