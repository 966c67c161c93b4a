import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { type CreatedTokenView, type TokenView } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { CreatePanel } from '../components/create-panel';
import { Alert, CheckboxField, TextField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { ShownOnce } from '../components/shown-once';
import { TokenCells, tokenColumns } from '../components/token-cells';
import { useList } from '../components/use-list';
import { useFormErrors } from '../components/use-form-errors';

const FORM = 'new-token';

/** The ~/.keyward file of a token just created: shown once, with Copy and Download. */
function KeywardFilePanel({ created, onDone }: { created: CreatedTokenView; onDone: () => void }) {
  return (
    <ShownOnce
      id="token-created-heading"
      title={`Token ${created.name} created`}
      text={`${JSON.stringify(created.keyward, null, 2)}\n`}
      label="Contents of ~/.keyward"
      download={{ name: 'keyward.json', type: 'application/json' }}
      doneLabel="Done, I saved it"
      onDone={onDone}
    >
      <p>
        Save this as <code>~/.keyward</code> (readable by you only: <code>chmod 600 ~/.keyward</code>). <strong>It is shown only this once</strong>: Keyward
        cannot show the token again.
      </p>
    </ShownOnce>
  );
}

export function TokensPage() {
  const list = useList<TokenView>('/v1/user/tokens');
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [readOnly, setReadOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedTokenView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirmDialog();
  const { errors, fail, invalid, clear } = useFormErrors(FORM);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    setNotice(null);
    const expiresInDays = Number(days);
    const problems: Record<string, string> = {};
    if (name.trim() === '' || name.length > 64) problems['name'] = 'Enter a name of 1 to 64 characters, e.g. the machine or job that will use it.';
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 365) problems['expiresInDays'] = 'Enter a whole number of days from 1 to 365.';
    if (Object.keys(problems).length) return invalid(problems);
    setBusy(true);
    try {
      setCreated(await api.post<CreatedTokenView>('/v1/user/tokens', { name, expiresInDays, readOnly }));
      setName('');
      setReadOnly(false);
      list.reload();
    } catch (failure: unknown) {
      fail(failure, ['name', 'expiresInDays', 'readOnly']);
    } finally {
      setBusy(false);
    }
  };

  const askRevoke = (token: TokenView) =>
    ask({
      title: `Revoke token ${token.name}?`,
      body: <p>Every program using it is refused from its next request on. This cannot be undone.</p>,
      confirmLabel: 'Revoke token',
      action: async () => {
        await api.delete(`/v1/user/tokens/${encodeURIComponent(token.id)}`);
        setNotice(`Token ${token.name} revoked.`);
        list.reload();
      },
    });

  return (
    <Page title="Tokens">
      <p className="lead">
        API tokens let scripts and the <code>keyward</code> command line act as you, without your password. A token has your account and roles.
      </p>
      {created ? (
        <KeywardFilePanel created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreatePanel form={FORM} title="New token" submitLabel="Create token" busy={busy} error={errors.form} onSubmit={create}>
          <TextField
            label="Name"
            id={`${FORM}-name`}
            value={name}
            maxLength={64}
            autoComplete="off"
            error={errors.fields['name']}
            onChange={(event) => setName(event.target.value)}
          />
          <TextField
            label="Expires in (days)"
            id={`${FORM}-expiresInDays`}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            value={days}
            error={errors.fields['expiresInDays']}
            onChange={(event) => setDays(event.target.value)}
          />
          <CheckboxField
            label="Read-only"
            id={`${FORM}-readOnly`}
            checked={readOnly}
            hint="It may look, never change."
            onChange={(event) => setReadOnly(event.target.checked)}
          />
        </CreatePanel>
      )}
      <Alert text={notice} tone="success" />
      <ListTable list={list} caption="Your tokens" columns={tokenColumns(false)} actions empty="You have no tokens." pagerLabel="Tokens">
        {list.items.map((token) => (
          <tr key={token.id}>
            <TokenCells token={token} owners={false} />
            <td className="row-actions">
              <DangerButton label={`Revoke token ${token.name}`} onClick={() => askRevoke(token)}>
                Revoke
              </DangerButton>
            </td>
          </tr>
        ))}
      </ListTable>
      {dialog}
    </Page>
  );
}
