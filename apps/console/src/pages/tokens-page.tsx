import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { type CreatedTokenView, type TokenView } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { CreatePanel } from '../components/create-panel';
import { Alert, CheckboxField, TextField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { useList } from '../components/use-list';
import { useFormErrors } from '../components/use-form-errors';

const FORM = 'new-token';

/** The ~/.keyward file of a token just created: shown once, with a button that copies it. */
function KeywardFilePanel({ created, onDone }: { created: CreatedTokenView; onDone: () => void }) {
  const text = `${JSON.stringify(created.keyward, null, 2)}\n`;
  const heading = useRef<HTMLHeadingElement>(null);
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => heading.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard (an insecure page, a refused permission): select the text for Ctrl-C instead.
      const selection = window.getSelection();
      if (pre.current && selection) {
        selection.selectAllChildren(pre.current);
      }
      setCopied('The browser refused the clipboard: the text is selected, press Ctrl-C to copy it.');
    }
  };

  return (
    <section className="panel token-created" aria-labelledby="token-created-heading">
      <h2 id="token-created-heading" ref={heading} tabIndex={-1}>
        Token {created.name} created
      </h2>
      <p>
        Save this as <code>~/.keyward</code> (readable by you only: <code>chmod 600 ~/.keyward</code>). <strong>It is shown only this once</strong>: Keyward cannot show
        the token again.
      </p>
      <pre ref={pre} className="keyward-file" tabIndex={0} aria-label="Contents of ~/.keyward">
        {text}
      </pre>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Done, I saved it
        </button>
        <span role="status" className="muted">
          {copied}
        </span>
      </div>
    </section>
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
            <TextField label="Name" id={`${FORM}-name`} value={name} maxLength={64} autoComplete="off" error={errors.fields['name']} onChange={(event) => setName(event.target.value)} />
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
            <CheckboxField label="Read-only" id={`${FORM}-readOnly`} checked={readOnly} hint="It may look, never change." onChange={(event) => setReadOnly(event.target.checked)} />
        </CreatePanel>
      )}
      <Alert text={notice} tone="success" />
      <ListTable list={list} caption="Your tokens" columns={['Name', 'Access', 'Created', 'Expires', 'Last used']} actions empty="You have no tokens." pagerLabel="Tokens">
        {list.items.map((token) => (
          <tr key={token.id}>
            <th scope="row">
              {token.name}
              <span className="muted block">
                <code>kwt_{token.id}_…</code>
              </span>
            </th>
            <td>{token.readOnly ? 'Read-only' : 'Read and write'}</td>
            <td>
              <Time value={token.created_at} />
            </td>
            <td>
              <Time value={token.expires_at} />
            </td>
            <td>
              <Time value={token.last_used_at} empty="Never" />
            </td>
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
