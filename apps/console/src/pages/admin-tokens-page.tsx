import { useState } from 'react';
import { api } from '../api/client';
import { type TokenView } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { Alert, TextField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { TokenCells, tokenColumns } from '../components/token-cells';
import { useDebounced } from '../components/use-debounced';
import { useList } from '../components/use-list';
import { AdminNav } from './admin-nav';

/** Every user's API tokens: administrators revoke one or all of a user's; staff only look. */
export function AdminTokensPage({ readOnly }: { readOnly: boolean }) {
  const [account, setAccount] = useState('');
  const [username, setUsername] = useState('');
  const accountQuery = useDebounced(account.trim());
  const usernameQuery = useDebounced(username.trim());
  const list = useList<TokenView>('/v1/admin/tokens', { account: accountQuery, username: usernameQuery });
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirmDialog();

  const askRevoke = (token: TokenView) =>
    ask({
      title: `Revoke token ${token.name} of ${token.username}?`,
      body: <p>Every program using it is refused from its next request on. This cannot be undone.</p>,
      confirmLabel: 'Revoke token',
      action: async () => {
        await api.delete(`/v1/admin/tokens/${encodeURIComponent(token.id)}`);
        setNotice(`Token ${token.name} of ${token.username} revoked.`);
        list.reload();
      },
    });

  const askRevokeAll = (token: TokenView) =>
    ask({
      title: `Revoke all tokens of ${token.username}?`,
      body: (
        <p>Every API token and console session of {token.username} stops working at their next request, on every gateway. Their password still signs in.</p>
      ),
      confirmLabel: 'Revoke all',
      action: async () => {
        const { revoked } = await api.delete<{ revoked: number }>(`/v1/admin/users/${encodeURIComponent(token.username)}/tokens`);
        setNotice(`${revoked} token${revoked === 1 ? '' : 's'} and sessions of ${token.username} revoked.`);
        list.reload();
      },
    });

  return (
    <Page title="Admin">
      <AdminNav />
      <p className="lead">The API tokens of every user, newest first. A token acts with its user's account and roles until it expires or is revoked.</p>
      {readOnly && <Alert tone="info" text="As staff, you can see every token, not revoke them." />}
      <form className="filters" aria-label="Filter tokens" onSubmit={(event) => event.preventDefault()}>
        <TextField
          label="Account"
          id="filter-token-account"
          value={account}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setAccount(event.target.value)}
        />
        <TextField
          label="Username"
          id="filter-token-username"
          value={username}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setUsername(event.target.value)}
        />
      </form>
      <Alert text={notice} tone="success" />
      <ListTable
        list={list}
        caption="API tokens of every user"
        columns={tokenColumns(true)}
        actions={!readOnly}
        empty="No token matches these filters."
        pagerLabel="Tokens"
      >
        {list.items.map((token) => (
          <tr key={token.id}>
            <TokenCells token={token} owners />
            {!readOnly && (
              <td className="row-actions">
                <DangerButton label={`Revoke token ${token.name} of ${token.username}`} onClick={() => askRevoke(token)}>
                  Revoke
                </DangerButton>
                <DangerButton label={`Revoke all tokens of ${token.username}`} onClick={() => askRevokeAll(token)}>
                  Revoke all
                </DangerButton>
              </td>
            )}
          </tr>
        ))}
      </ListTable>
      {dialog}
    </Page>
  );
}
